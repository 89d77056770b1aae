/**
 * Building blocks for mail server authors who take STARTTLS and cleartext logins seriously (RFC 8314
 * §4, §4.1; CERT VU#555316; "NO STARTTLS", USENIX Security 2021).
 *
 * <p>STARTTLS (requirements STL-03, STL-08, STL-12, R8314-S-04):
 *
 * <ul>
 *   <li>{@link org.mailtls.provider.server.LineReader}: the only reader protocol code should read
 *       commands with. It reads straight from the socket (no foreign buffer in between), so the
 *       upgrade can see, and throw away, every byte it holds.
 *   <li>{@link org.mailtls.provider.server.StartTlsUpgrade}: refuses STARTTLS after authentication
 *       or when TLS is already on, discards whatever the client sent after the STARTTLS line (the
 *       2011 command-injection bug, CVE-2011-0411), writes the go-ahead, runs the handshake, and hands
 *       back the TLS socket with a fresh reader; the old reader is retired.
 *   <li>{@link org.mailtls.provider.server.StartTlsAdvertisement}: STARTTLS/STLS is advertised only
 *       when the context can really serve TLS.
 * </ul>
 *
 * <p>Cleartext authentication (R8314-S-12, R8314-S-13, STL-09):
 *
 * <ul>
 *   <li>{@link org.mailtls.provider.server.CleartextAuthPolicy}: who may still authenticate over an
 *       unencrypted channel.
 *   <li>{@link org.mailtls.provider.server.CleartextAuthGate}: refuses such a login before the
 *       password is checked, with one answer for right and wrong passwords, and says which SASL
 *       mechanisms (and whether IMAP {@code LOGINDISABLED}) to advertise.
 * </ul>
 *
 * <p>Implicit TLS (ports 993, 995, 465) remains the better choice (RFC 8314 §3, STL-10): with it
 * none of the STARTTLS classes are needed.
 */
@NullMarked
package org.mailtls.provider.server;

import org.jspecify.annotations.NullMarked;
