package org.mailtls.policy.identity;

/** How a reference identity was matched. */
public enum MatchKind {
  /** A DNS-ID equal to a dNSName, ASCII case-insensitively (SI-06, SI-07). */
  DNS_EXACT,
  /** A DNS-ID covered by a wildcard dNSName {@code *.rest} (SI-08). */
  DNS_WILDCARD,
  /** An SRV-ID equal, service and domain together, to an SRVName (SRV-06, SI-10). */
  SRV,
  /** An SRV-ID matched by the other member of its service bundle (SRV-08, opt-in). */
  SRV_BUNDLE,
  /** An IP-ID equal, octet for octet, to an iPAddress (SI-09). */
  IP,
  /**
   * A DNS-ID matched by the subject CN of a certificate without subjectAltName identifiers, under
   * the account's legacy switch (R7817-C-09, SI-20). RFC 9525 forbids it; callers should log it.
   */
  LEGACY_COMMON_NAME
}
