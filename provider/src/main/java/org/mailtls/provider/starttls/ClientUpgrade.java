package org.mailtls.provider.starttls;

import java.io.BufferedInputStream;
import java.io.OutputStream;
import java.util.Objects;
import javax.net.ssl.SSLSocket;

/**
 * The result of {@link ClientStartTls#upgrade}: the handshaken TLS socket and fresh streams over it.
 *
 * <p>{@link #capabilitiesInvalidated()} is the STL-12 (d) marker, always {@code true}: everything
 * learnt before TLS (IMAP {@code CAPABILITY}, SMTP EHLO extensions, POP3 {@code CAPA}, the SASL
 * mechanisms, {@code LOGINDISABLED}, greeting data) came over a channel anybody could rewrite and
 * must be thrown away; ask again over TLS before using any of it (RFC 3501 §6.2.1, RFC 3207 §4.2,
 * RFC 2595 §4; STL-02). The cleartext streams and readers are dead: read only from {@link #input()}
 * and write only to {@link #output()}.
 *
 * @param socket the TLS socket, handshake completed, in client mode
 * @param input a new buffered stream over the TLS socket's input
 * @param output the TLS socket's output stream
 */
public record ClientUpgrade(SSLSocket socket, BufferedInputStream input, OutputStream output) {
  /** Checks that no component is null. */
  public ClientUpgrade {
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
  }

  /**
   * Always {@code true}: the capabilities, mechanisms and greeting data read before TLS are void;
   * re-issue {@code CAPABILITY} / {@code EHLO} / {@code CAPA} over TLS (STL-02, STL-12 (d)).
   */
  public boolean capabilitiesInvalidated() {
    return true;
  }
}
