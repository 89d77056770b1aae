package org.mailtls.policy.tls;

import com.google.common.collect.ImmutableList;

/**
 * Signature schemes MailTLS accepts in handshakes and certificates, by their IANA TLS
 * SignatureScheme names (TLS-22, TLS-25, TLS-26, B.7): nothing with SHA-1 or MD5 (RFC 9155).
 */
public final class SignatureSchemes {
  /** Schemes in preference order. */
  public static final ImmutableList<String> ALLOWED = ImmutableList.of(
      "ecdsa_secp256r1_sha256",
      "ecdsa_secp384r1_sha384",
      "ecdsa_secp521r1_sha512",
      "ed25519",
      "ed448",
      "rsa_pss_rsae_sha256",
      "rsa_pss_rsae_sha384",
      "rsa_pss_rsae_sha512",
      "rsa_pss_pss_sha256",
      "rsa_pss_pss_sha384",
      "rsa_pss_pss_sha512",
      "rsa_pkcs1_sha256",
      "rsa_pkcs1_sha384",
      "rsa_pkcs1_sha512");

  private SignatureSchemes() {}

  /** True when the scheme may be used. */
  public static boolean isAllowed(String ianaName) {
    return ALLOWED.contains(ianaName);
  }
}
