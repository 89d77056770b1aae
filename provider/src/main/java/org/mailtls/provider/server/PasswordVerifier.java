package org.mailtls.provider.server;

/**
 * The server's own password check (user database, LDAP bind, PAM), called by {@link
 * CleartextAuthGate} only when authentication over the current channel is permitted.
 *
 * <p>Why it is passed in rather than called by the protocol code first: RFC 8314 §4.1 (R8314-S-13)
 * forbids telling a cleartext client whether its credentials were right once cleartext login is
 * off. The surest way not to reveal the answer is not to have it: the gate decides before the
 * verifier could run.
 */
@FunctionalInterface
public interface PasswordVerifier {
  /** Whether {@code password} is {@code user}'s password. */
  boolean verify(String user, CharSequence password);
}
