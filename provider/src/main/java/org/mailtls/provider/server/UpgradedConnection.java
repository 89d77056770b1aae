package org.mailtls.provider.server;

import javax.net.ssl.SSLSocket;

/**
 * The result of a completed STARTTLS: the handshaken TLS socket, the reader to take commands from
 * from now on, the new session state, and how many cleartext bytes were thrown away.
 *
 * <p>{@link #state()} is always {@link ServerSessionState#TLS_UNAUTHENTICATED}, and it is the
 * server-side "capabilities invalidated" marker of STL-12: RFC 3207 §4.2 requires the server to
 * discard everything learnt from the client before TLS (the EHLO argument, an IMAP {@code ID}, any
 * half-done SASL exchange). Write responses through {@code socket().getOutputStream()} only; a
 * writer over the cleartext stream would now corrupt the TLS stream.
 *
 * @param socket the TLS socket, handshake completed, in server mode
 * @param reader a fresh reader over the TLS socket; the cleartext reader is retired
 * @param state the session state after STARTTLS
 * @param discardedBytes how many bytes the client sent after the STARTTLS line before the go-ahead
 *     (zero for a well-behaved client; anything else is worth a log line: STL-03)
 */
public record UpgradedConnection(SSLSocket socket, LineReader reader, ServerSessionState state, long discardedBytes) {}
