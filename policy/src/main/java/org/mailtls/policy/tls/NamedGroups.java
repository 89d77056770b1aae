package org.mailtls.policy.tls;

import com.google.common.collect.ImmutableList;

/**
 * Key-exchange groups MailTLS offers, by their IANA TLS Supported Groups names (TLS-21, TLS-22,
 * TLS-24, B.7): X25519 first, then the NIST curves of at least 256 bits. No finite-field groups:
 * TLS 1.2 has no DHE suites here, and TLS 1.3 does not need them.
 */
public final class NamedGroups {
  /** Groups in preference order. */
  public static final ImmutableList<String> ALLOWED =
      ImmutableList.of("x25519", "secp256r1", "secp384r1", "x448", "secp521r1");

  private NamedGroups() {}

  /** True when the group may be negotiated. */
  public static boolean isAllowed(String ianaName) {
    return ALLOWED.contains(ianaName);
  }
}
