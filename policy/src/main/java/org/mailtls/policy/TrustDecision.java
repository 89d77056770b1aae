package org.mailtls.policy;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.identity.IdentityMatch;
import org.mailtls.policy.pin.CertificatePin;
import org.mailtls.policy.tls.FloorViolation;

/**
 * What MailTLS decided about a peer's certificate chain on one connection, as a value. The
 * provider attaches it to the {@code CertificateException} it throws and to the session, so
 * callers read the reason instead of parsing strings.
 */
public sealed interface TrustDecision {

  /** True for {@link Accepted}. */
  boolean isAccepted();

  /** A message for users and logs. */
  String message();

  /**
   * The chain was validated and, for a server, its identity matched.
   *
   * @param identity how the server's identity matched (SI-11); empty for client certificates and
   *     for a pinned server whose name did not match
   * @param level {@link ConfidentialityLevel#VERIFIED}, or {@link ConfidentialityLevel#PINNED}
   *     when only the pin made the certificate acceptable (never confidential, R8314-C-27)
   * @param pin the pin that stood in for validation, when {@code level} is PINNED
   * @param clientIdentity for a client certificate accepted by a server, the SASL EXTERNAL
   *     authorization identity it maps to (R8314-S-16, R8314-C-35)
   * @param protocol the negotiated protocol, e.g. {@code TLSv1.3}
   * @param cipherSuite the negotiated suite
   * @param chain one line per certificate of the validated path, leaf first
   */
  record Accepted(IdentityMatch.@Nullable Matched identity, ConfidentialityLevel level, @Nullable CertificatePin pin,
      @Nullable String clientIdentity, String protocol, String cipherSuite, ImmutableList<String> chain)
      implements TrustDecision {
    public Accepted {
      requireNonNull(level, "level");
      requireNonNull(protocol, "protocol");
      requireNonNull(cipherSuite, "cipherSuite");
      requireNonNull(chain, "chain");
      if (level == ConfidentialityLevel.NONE) {
        throw new IllegalArgumentException("an accepted TLS connection is PINNED or VERIFIED");
      }
      if ((level == ConfidentialityLevel.PINNED) != (pin != null)) {
        throw new IllegalArgumentException("a PINNED decision names its pin, a VERIFIED one has none");
      }
    }

    /** A verified decision (the minimum confidentiality level's authentication part). */
    public static Accepted verified(IdentityMatch.@Nullable Matched identity, String protocol, String cipherSuite,
        ImmutableList<String> chain) {
      return new Accepted(identity, ConfidentialityLevel.VERIFIED, null, null, protocol, cipherSuite, chain);
    }

    /** A verified client certificate and the identity it maps to (server side). */
    public static Accepted verifiedClient(String clientIdentity, String protocol, String cipherSuite,
        ImmutableList<String> chain) {
      return new Accepted(null, ConfidentialityLevel.VERIFIED, null, requireNonNull(clientIdentity, "clientIdentity"),
          protocol, cipherSuite, chain);
    }

    /** The SASL EXTERNAL authorization identity of an accepted client certificate. */
    public Optional<String> saslExternalIdentity() {
      return Optional.ofNullable(clientIdentity);
    }

    /** The pin that stood in for validation, for a PINNED decision. */
    public Optional<CertificatePin> pinUsed() {
      return Optional.ofNullable(pin);
    }

    /** The validated identity of the server, if this was a server check. */
    public Optional<IdentityMatch.Matched> validatedIdentity() {
      return Optional.ofNullable(identity);
    }

    @Override
    public boolean isAccepted() {
      return true;
    }

    @Override
    public String message() {
      if (level == ConfidentialityLevel.PINNED) {
        return "accepted only because of a pin (" + protocol + ", " + cipherSuite + "): " + pin
            + "; this connection is NOT confidential (RFC 8314 §5.4)";
      }
      return "accepted (" + protocol + ", " + cipherSuite + ")" + (identity != null ? ": " + identity.message() : "")
          + (clientIdentity != null ? ": client certificate maps to " + clientIdentity : "");
    }
  }

  /**
   * The chain was refused.
   *
   * @param rule the requirement ID of the rule that refused it, e.g. {@code R7817-C-01}
   * @param peer what the connection was opened to, e.g. {@code mail.example.net:993}
   * @param reason what is wrong, possibly several lines
   * @param identity the identity mismatch, when that was the reason
   * @param violations broken floors, when that was the reason
   * @param chain one line per certificate the peer presented, leaf first
   * @param fix what the user or operator can do
   * @param presented the certificates the peer presented, leaf first (for a setup-time pin)
   * @param pinnable true when the failure is one a pin may stand in for (chain, expiry, name),
   *     never for version, suite, key-size or signature floors (RFC 8314 §5.4)
   */
  record Refused(String rule, String peer, String reason, IdentityMatch.@Nullable NotMatched identity,
      ImmutableList<FloorViolation> violations, ImmutableList<String> chain, String fix,
      ImmutableList<X509Certificate> presented, boolean pinnable) implements TrustDecision {
    public Refused {
      requireNonNull(rule, "rule");
      requireNonNull(peer, "peer");
      requireNonNull(reason, "reason");
      requireNonNull(violations, "violations");
      requireNonNull(chain, "chain");
      requireNonNull(fix, "fix");
      requireNonNull(presented, "presented");
      if (pinnable && presented.isEmpty()) {
        throw new IllegalArgumentException("a pinnable refusal carries the presented chain");
      }
    }

    /** The identity mismatch, if that was the reason. */
    public Optional<IdentityMatch.NotMatched> identityMismatch() {
      return Optional.ofNullable(identity);
    }

    @Override
    public boolean isAccepted() {
      return false;
    }

    @Override
    public String message() {
      StringBuilder sb = new StringBuilder(256);
      sb.append("MailTLS refused the certificate of ").append(peer).append(" (").append(rule).append("): ");
      sb.append(identity != null ? identity.message() : reason);
      for (FloorViolation v : violations) {
        sb.append("\n  ").append(v);
      }
      if (!chain.isEmpty()) {
        sb.append("\n  chain presented:");
        for (String c : chain) {
          sb.append("\n    ").append(c);
        }
      }
      if (identity == null) {
        sb.append("\n  fix: ").append(fix);
      }
      return sb.toString();
    }
  }
}
