package org.mailtls.policy.tls;

import com.google.common.collect.ImmutableList;
import java.util.Locale;
import java.util.Optional;

/**
 * Classifies IANA / JSSE cipher-suite names against RFC 9325 §4 as updated by RFC 10015
 * (requirements.md B.7, TLS-12..TLS-18, TLS-22).
 *
 * <p>Only ECDHE key exchange with AEAD ciphers is allowed for TLS 1.2, and the three standard
 * AEAD suites for TLS 1.3. Everything else is refused with the rule that forbids it.
 */
public final class CipherSuites {
  /** TLS 1.3 suites, in preference order (RFC 8446 §9.1 MTI first). */
  public static final ImmutableList<String> TLS13 = ImmutableList.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  /**
   * TLS 1.2 suites, in preference order: RFC 9325 §4.2's four ECDHE + AES-GCM suites with
   * TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 first (§4.2.1, TLS-20), then the ChaCha20 ones.
   */
  public static final ImmutableList<String> TLS12 = ImmutableList.of(
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /** Every suite MailTLS allows, TLS 1.3 first. */
  public static final ImmutableList<String> ALLOWED =
      ImmutableList.<String>builder().addAll(TLS13).addAll(TLS12).build();

  private CipherSuites() {}

  /** True when {@code name} is one of {@link #ALLOWED}. */
  public static boolean isAllowed(String name) {
    return ALLOWED.contains(name);
  }

  /**
   * Why a suite is refused, citing the rule, or empty when it is allowed. Unknown names are refused
   * too (fail closed), with a reason saying so.
   */
  public static Optional<String> whyRefused(String name) {
    if (isAllowed(name)) {
      return Optional.empty();
    }
    String n = name.toUpperCase(Locale.ROOT);
    if (n.contains("_NULL_") || n.endsWith("_NULL") || n.contains("_RC4_") || n.contains("EXPORT")
        || n.contains("_DES_") || n.contains("_DES40_")) {
      return Optional.of(name + ": NULL, RC4, DES and export suites are below 112-bit security (TLS-12, RFC 9325 §4.1)");
    }
    if (n.contains("3DES")) {
      return Optional.of(name + ": 3DES is below 128-bit security (TLS-13, RFC 9325 §4.1)");
    }
    if (n.contains("_ANON_")) {
      return Optional.of(name + ": anonymous key exchange authenticates no one (RFC 9325 §4.1)");
    }
    if (n.startsWith("TLS_RSA_") || n.startsWith("SSL_RSA_")) {
      return Optional.of(name + ": static RSA key transport has no forward secrecy (TLS-14, RFC 10015)");
    }
    if (n.startsWith("TLS_DHE_") || n.startsWith("SSL_DHE_") || n.startsWith("TLS_DH_") || n.startsWith("SSL_DH_")) {
      return Optional.of(name + ": finite-field DH key exchange is forbidden in TLS 1.2 (TLS-14, RFC 10015)");
    }
    if (n.startsWith("TLS_ECDH_")) {
      return Optional.of(name + ": static ECDH has no forward secrecy (TLS-15, RFC 9325 §4.1)");
    }
    if (n.contains("_CBC_")) {
      return Optional.of(name + ": CBC suites need encrypt_then_mac, which JSSE does not negotiate (TLS-18, RFC 9325 §4.2)");
    }
    if (n.contains("CCM_8")) {
      return Optional.of(name + ": an 8-byte tag is too short (RFC 9325 §4.3, IANA not recommended)");
    }
    if (n.contains("PSK")) {
      return Optional.of(name + ": pre-shared-key suites are not used for mail server authentication");
    }
    if (n.endsWith("_SCSV")) {
      return Optional.of(name + ": a signalling value, not a cipher suite");
    }
    return Optional.of(name + ": not on MailTLS's list of ECDHE + AEAD suites (requirements.md B.7)");
  }
}
