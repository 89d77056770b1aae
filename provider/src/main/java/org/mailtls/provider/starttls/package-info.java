/**
 * The client side of STARTTLS done so that nothing from the cleartext phase survives into TLS
 * (requirements STL-04, STL-12; "NO STARTTLS", USENIX Security 2021).
 *
 * <ul>
 *   <li>{@link org.mailtls.provider.starttls.ClientStartTls}: for mail code that speaks IMAP, POP3
 *       or SMTP itself. After the go-ahead it refuses when the caller's reader or the socket holds
 *       unread server data (response injection, STL-04), layers TLS with the host as reference
 *       identity, and returns a fresh stream with the "capabilities invalidated" marker ({@link
 *       org.mailtls.provider.starttls.ClientUpgrade}).
 *   <li>{@link org.mailtls.provider.starttls.StartTlsViolationException}: the refusal, with the
 *       requirement it enforces. MailTLS's {@code SSLSocketFactory} throws it too when asked to layer
 *       client TLS over a socket with unread input, so libraries that layer TLS themselves (Angus
 *       Mail) get the STL-04 check without code changes.
 * </ul>
 *
 * <p>Server authors want {@link org.mailtls.provider.server.StartTlsUpgrade} instead; Angus Mail
 * users want {@link org.mailtls.provider.angus.AngusProperties}. Implicit TLS (ports 993, 995,
 * 465) needs none of this and remains the better choice (RFC 8314 §3, STL-10).
 */
@NullMarked
package org.mailtls.provider.starttls;

import org.jspecify.annotations.NullMarked;
