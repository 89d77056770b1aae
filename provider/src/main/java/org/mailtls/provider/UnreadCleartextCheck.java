package org.mailtls.provider;

import java.io.IOException;
import java.net.Socket;
import org.mailtls.provider.starttls.StartTlsViolationException;

/**
 * The client-side STARTTLS response-injection check (STL-04), run by {@link MailTlsSocketFactory}
 * before it layers client TLS over an existing socket.
 *
 * <p>When a client layers TLS over a plain socket (STARTTLS, and every Angus Mail connection), it
 * has just read the server's go-ahead. A legitimate server then sends nothing until it has the
 * client's ClientHello, so any byte already received and unread is something a man-in-the-middle
 * sent behind the go-ahead ({@code a OK Begin TLS\r\n* CAPABILITY ... AUTH=PLAIN}) hoping the
 * client reads it after the handshake as if it had come through TLS ("NO STARTTLS", USENIX
 * Security 2021). The same holds for implicit TLS: a TLS server never speaks first.
 *
 * <p>Only {@link java.io.InputStream#available()} of {@code s.getInputStream()} is called: it
 * neither blocks nor consumes a byte; for a plain socket (and Angus's write-timeout wrapper) it is
 * what the kernel has received. Bytes held in a reader the caller stacked on top of the socket
 * are out of sight here: {@link org.mailtls.provider.starttls.ClientStartTls} checks those, and the
 * Angus guard socket of {@code org.mailtls.provider.angus} keeps them out of the client's buffer
 * and checks them itself when the ClientHello is written. Bytes arriving after this check are read
 * by the TLS layer as records and fail the handshake: either way they are never application data.
 */
final class UnreadCleartextCheck {
  static final String RULE = "STL-04";

  private UnreadCleartextCheck() {}

  /**
   * Refuses, closing {@code s}, when it has unread input.
   *
   * @throws StartTlsViolationException (an {@code SSLException}) naming STL-04 and the byte count
   * @throws IOException when the socket's input cannot be inspected (closed, shut down); {@code s}
   *     is closed then too, failing closed
   */
  static void refuseUnreadInput(Socket s, String host, int port) throws IOException {
    int unread;
    try {
      unread = s.getInputStream().available();
    } catch (IOException | RuntimeException e) {
      closeQuietly(s, e);
      throw e;
    }
    if (unread > 0) {
      StartTlsViolationException refusal = new StartTlsViolationException(RULE, unread,
          "MailTLS refused to start TLS with " + host + ":" + port + ": " + unread + " bytes from the server"
              + " were already waiting, unread, when TLS was to begin (STL-04). After a STARTTLS go-ahead a"
              + " server sends nothing until the client's ClientHello, so these bytes are a response injection:"
              + " an attempt to have them read as if they had come through TLS (on an implicit-TLS port they"
              + " mean the server is not speaking TLS at all). The connection was closed; nothing was sent.");
      closeQuietly(s, refusal);
      throw refusal;
    }
  }

  private static void closeQuietly(Socket s, Throwable failure) {
    try {
      s.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
