package org.mailtls.policy;

/**
 * How certificate revocation is checked (TLS-31, RFC 9325 §7.5).
 */
public enum RevocationMode {
  /**
   * Default: an OCSP response the server stapled in the handshake is checked, and a "revoked"
   * answer refuses the connection; without a stapled response nothing is fetched (a mail client
   * on a captive network must not hang on an OCSP responder, and soft-fail fetching adds no
   * security against an attacker who blocks it).
   */
  STAPLED_OCSP,
  /** JDK PKIX revocation checking (OCSP, then CRL) that fails closed when status is unknown. */
  REQUIRE_STATUS,
  /** No revocation checking; for closed networks with short-lived certificates. */
  NONE
}
