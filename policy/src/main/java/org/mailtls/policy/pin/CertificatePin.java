package org.mailtls.policy.pin;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.io.BaseEncoding;
import com.google.errorprone.annotations.Immutable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.identity.MailService;

/**
 * One pinned certificate: the SHA-256 of the exact certificate's DER (RFC 8314 §5.4 pins the
 * certificate, not the key), bound to one account and one endpoint (host, port, service), with the
 * context RFC 6125 §7.1 asks for (SI-22): when it was taken, the fingerprints of the whole chain
 * that was presented, and the validation failure the user saw and accepted.
 *
 * <p>Why no SPKI pins: RFC 8314's pin is an answer to one specific certificate the user saw; a key
 * pin would silently keep accepting a re-issued certificate the user never looked at. A renewed
 * certificate from a CA the account trusts still works without any pin (SI-14).
 */
@Immutable
public final class CertificatePin {
  private final String accountId;
  private final String host;
  private final int port;
  private final MailService service;
  private final String sha256;
  private final Instant pinnedAt;
  private final ImmutableList<String> chainSha256;
  private final String reason;

  private CertificatePin(String accountId, String host, int port, MailService service, String sha256,
      Instant pinnedAt, ImmutableList<String> chainSha256, String reason) {
    this.accountId = accountId;
    this.host = host;
    this.port = port;
    this.service = service;
    this.sha256 = sha256;
    this.pinnedAt = pinnedAt;
    this.chainSha256 = chainSha256;
    this.reason = reason;
  }

  /**
   * A pin record. {@code host} must be in normalized form ({@code MailEndpoint.normalize});
   * {@code sha256} and each {@code chainSha256} entry are 64 lower-case hex digits; {@code
   * chainSha256} starts with {@code sha256} (the pinned certificate is the leaf of the chain seen).
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static CertificatePin of(String accountId, String host, int port, MailService service, String sha256,
      Instant pinnedAt, java.util.List<String> chainSha256, String reason) {
    requireNonNull(accountId, "accountId");
    requireNonNull(host, "host");
    requireNonNull(service, "service");
    requireNonNull(pinnedAt, "pinnedAt");
    requireNonNull(reason, "reason");
    if (accountId.isBlank() || accountId.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("account id must be non-blank and on one line: \"" + accountId + "\"");
    }
    checkNormalized(host);
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    checkHex(sha256, "sha256");
    requireNonNull(chainSha256, "chainSha256");
    ImmutableList<String> chain = ImmutableList.copyOf(chainSha256);
    for (String c : chain) {
      checkHex(c, "chainSha256 entry");
    }
    if (chain.isEmpty() || !chain.get(0).equals(sha256)) {
      throw new IllegalArgumentException("chainSha256 must start with the pinned certificate's fingerprint");
    }
    if (reason.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("reason must be on one line");
    }
    return new CertificatePin(accountId, host, port, service, sha256, pinnedAt, chain, reason);
  }

  /**
   * Checks the host is what {@link MailEndpoint#normalize} returns for it (A-label DNS name without a
   * trailing dot, or canonical IP literal). A pin under any other spelling could never be found by
   * a lookup with the normalized host, so the user's accepted certificate would silently not work.
   */
  private static void checkNormalized(String host) {
    String normalized;
    try {
      normalized = MailEndpoint.normalize(host);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("host is not a valid host name or IP literal: " + e.getMessage(), e);
    }
    if (!normalized.equals(host)) {
      throw new IllegalArgumentException("host must be normalized (MailEndpoint.normalize): \"" + host
          + "\" normalizes to \"" + normalized + "\"");
    }
  }

  /** The lower-case hex SHA-256 of a certificate's DER encoding. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return BaseEncoding.base16().lowerCase()
          .encode(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("cannot fingerprint certificate: " + e.getMessage(), e);
    }
  }

  private static void checkHex(String s, String what) {
    requireNonNull(s, what);
    if (s.length() != 64 || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException(what + " must be 64 lower-case hex digits: \"" + s + "\"");
    }
  }

  /** The account the pin belongs to (R8314-C-30: it never validates another account). */
  public String accountId() {
    return accountId;
  }

  /** The normalized host it is bound to. */
  public String host() {
    return host;
  }

  /** The port it is bound to. */
  public int port() {
    return port;
  }

  /** The mail service it is bound to. */
  public MailService service() {
    return service;
  }

  /** The pinned certificate's SHA-256, 64 lower-case hex digits. */
  public String sha256() {
    return sha256;
  }

  /** When the pin was taken. */
  public Instant pinnedAt() {
    return pinnedAt;
  }

  /** Fingerprints of the chain presented when the pin was taken, leaf first (RFC 6125 §7.1). */
  public ImmutableList<String> chainSha256() {
    return chainSha256;
  }

  /** The validation failure the user saw and accepted. */
  public String reason() {
    return reason;
  }

  /** True when this pin is for exactly this account, endpoint and certificate. */
  public boolean covers(String accountId, String host, int port, MailService service, String certificateSha256) {
    return this.accountId.equals(accountId) && this.host.equals(host) && this.port == port && this.service == service
        && this.sha256.equals(certificateSha256);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CertificatePin)) {
      return false;
    }
    CertificatePin p = (CertificatePin) o;
    return p.accountId.equals(accountId) && p.host.equals(host) && p.port == port && p.service == service
        && p.sha256.equals(sha256) && p.pinnedAt.equals(pinnedAt) && p.chainSha256.equals(chainSha256)
        && p.reason.equals(reason);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {accountId, host, port, service, sha256, pinnedAt, chainSha256, reason});
  }

  @Override
  public String toString() {
    return "pin sha256:" + sha256 + " for account " + accountId + " at " + service.label() + "://" + host + ":" + port
        + " (pinned " + pinnedAt + ")";
  }
}
