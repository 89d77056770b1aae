package org.mailtls.policy;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.identity.IdentityMatch;

/**
 * The public assessment of one connection (RFC 8314 §5, requirements.md B.6): its confidentiality
 * level, what was negotiated, the validated identity, and every reason it falls short. Only a
 * {@link ConfidentialityLevel#VERIFIED} connection is ever reported as confidential (R8314-C-10,
 * C-27).
 *
 * @param level NONE (no TLS), PINNED or VERIFIED
 * @param protocol the negotiated protocol, empty without TLS
 * @param cipherSuite the negotiated suite, empty without TLS
 * @param identity the validated identity, for a VERIFIED server
 * @param shortfalls why the connection is not VERIFIED (empty when it is)
 */
public record ConnectionAssessment(ConfidentialityLevel level, Optional<String> protocol, Optional<String> cipherSuite,
    Optional<IdentityMatch.Matched> identity, ImmutableList<String> shortfalls) {
  public ConnectionAssessment {
    requireNonNull(level, "level");
    requireNonNull(protocol, "protocol");
    requireNonNull(cipherSuite, "cipherSuite");
    requireNonNull(identity, "identity");
    requireNonNull(shortfalls, "shortfalls");
    if (level == ConfidentialityLevel.VERIFIED && !shortfalls.isEmpty()) {
      throw new IllegalArgumentException("a VERIFIED connection has no shortfalls: " + shortfalls);
    }
    if (level != ConfidentialityLevel.VERIFIED && shortfalls.isEmpty()) {
      throw new IllegalArgumentException("a " + level + " connection must say why it is not VERIFIED");
    }
  }

  /** A connection without TLS. */
  public static ConnectionAssessment cleartext() {
    return new ConnectionAssessment(ConfidentialityLevel.NONE, Optional.empty(), Optional.empty(), Optional.empty(),
        ImmutableList.of("the connection is not protected by TLS"));
  }

  /** A TLS connection that MailTLS has no decision for (not created by MailTLS, or not yet handshaken). */
  public static ConnectionAssessment unknown(@Nullable String protocol, @Nullable String suite) {
    return new ConnectionAssessment(ConfidentialityLevel.NONE, Optional.ofNullable(protocol),
        Optional.ofNullable(suite), Optional.empty(),
        ImmutableList.of("MailTLS has no decision for this connection: it was not made by MailTLS, or its handshake"
            + " has not completed"));
  }

  /** The assessment of a connection MailTLS decided on. */
  public static ConnectionAssessment of(TrustDecision.Accepted d) {
    if (d.level() == ConfidentialityLevel.VERIFIED) {
      return new ConnectionAssessment(d.level(), Optional.of(d.protocol()), Optional.of(d.cipherSuite()),
          d.validatedIdentity(), ImmutableList.of());
    }
    return new ConnectionAssessment(d.level(), Optional.of(d.protocol()), Optional.of(d.cipherSuite()),
        Optional.empty(), ImmutableList.of("the server was accepted only because of a pin taken during setup ("
            + d.pinUsed().map(CertificatePinText::of).orElse("?") + "); a pinned connection is never confidential"
            + " (RFC 8314 §5.4)"));
  }

  /** True only for VERIFIED (R8314-C-10, C-27). */
  public boolean isConfidential() {
    return level.isConfidential();
  }

  /** True when the connection meets {@code account}'s minimum confidentiality level (B.6). */
  public boolean meetsMinimumConfidentiality(AccountPolicy account) {
    return !account.requiresMinimumConfidentiality() || level == ConfidentialityLevel.VERIFIED;
  }

  /** One-line summary for a UI or a log. */
  public String summary() {
    return level + protocol.map(p -> " " + p).orElse("") + cipherSuite.map(s -> " " + s).orElse("")
        + identity.map(i -> ", " + i.reference()).orElse("")
        + (shortfalls.isEmpty() ? "" : ": " + String.join("; ", shortfalls));
  }

  /** Renders a pin for a shortfall without dragging the whole record in. */
  private static final class CertificatePinText {
    static String of(org.mailtls.policy.pin.CertificatePin p) {
      return "sha256:" + p.sha256().substring(0, 16) + "… pinned " + p.pinnedAt();
    }
  }
}
