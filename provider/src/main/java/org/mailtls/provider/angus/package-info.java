/**
 * Angus Mail (Jakarta Mail 2.x) over MailTLS without the traps: {@link
 * org.mailtls.provider.angus.AngusProperties} returns complete session properties for IMAP, POP3
 * and submission, over implicit TLS or required STARTTLS.
 *
 * <p>What Angus Mail 2.0.5 does by itself, and what these properties add (requirements STL-04 to
 * STL-07, and the fallback trap):
 *
 * <ul>
 *   <li>Fallback: {@code mail.<p>.socketFactory.fallback} defaults to {@code true}, which turns a
 *       MailTLS refusal into a silent second connection through the JVM's default {@code
 *       SSLSocketFactory}. Set to {@code false}.
 *   <li>STL-05: with {@code starttls.required=true} Angus refuses a server without STARTTLS (IMAP,
 *       POP3, SMTP) and sends no credentials. Set.
 *   <li>STL-04: Angus throws away its cleartext read buffer when it starts TLS, so injected
 *       responses are never read, but it does not notice them either (only bytes beyond its 2 KiB
 *       IMAP buffer reach MailTLS's factory, which refuses them). The guard socket hands out
 *       cleartext line by line, so injected bytes stay in the socket, and refuses the connection
 *       when they are there as the ClientHello is about to be written.
 *   <li>STL-06: Angus answers an IMAP {@code * PREAUTH} greeting that lists STARTTLS with {@code
 *       STARTTLS}, and after TLS skips LOGIN because it still trusts the cleartext claim. The guard
 *       closes the connection at the greeting.
 *   <li>STL-07: Angus shows {@code [ALERT]} texts and untagged status texts received before TLS to
 *       {@code StoreListener}s. The guard closes the connection on them.
 * </ul>
 */
@NullMarked
package org.mailtls.provider.angus;

import org.jspecify.annotations.NullMarked;
