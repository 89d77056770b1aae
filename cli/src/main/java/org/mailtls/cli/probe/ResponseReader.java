package org.mailtls.cli.probe;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Reads a mail server's cleartext response lines for the STARTTLS dialogues, with hard bounds.
 *
 * <p>Why not a {@code BufferedReader}: the bytes right after the server's STARTTLS go-ahead belong
 * to TLS. A buffering reader could swallow them (or, worse, hand a client bytes an attacker
 * injected before the go-ahead as if they were protected; STL-04). This reader takes one byte at a
 * time straight from the socket, so after the go-ahead line nothing has been consumed, and {@link
 * #pendingBytes()} tells whether the server sent anything it should not have.
 *
 * <p>Bounds, because the probe talks to servers nobody vouches for: a line longer than the protocol's
 * limit fails, and the whole dialogue must finish before one deadline (a server trickling a byte
 * every few seconds cannot hold the probe). A line ends at LF; a CR before it is dropped.
 */
final class ResponseReader {
  private final Socket socket;
  private final InputStream in;
  private final int maxLineLength;
  private final long deadlineNanos;

  /**
   * @param maxLineLength the longest line accepted, CRLF not counted
   * @param budgetMillis how long the whole dialogue may take
   */
  ResponseReader(Socket socket, int maxLineLength, long budgetMillis) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.maxLineLength = maxLineLength;
    this.deadlineNanos = System.nanoTime() + budgetMillis * 1_000_000L;
  }

  /**
   * The next line without its line end.
   *
   * @throws EOFException when the server closes the connection
   * @throws ProtocolException when the line is too long
   * @throws SocketTimeoutException when the dialogue's deadline passes
   */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        throw new SocketTimeoutException("the server did not answer in time");
      }
      socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server closed the connection"
            + (line.size() > 0 ? " in the middle of a line" : ""));
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, ISO_8859_1);
      }
      if (line.size() > maxLineLength) {
        throw new ProtocolException("the server sent a line longer than " + maxLineLength + " octets");
      }
      line.write(b);
    }
  }

  /** Bytes the server sent that nobody has read yet (after a go-ahead: none is the only right answer). */
  int pendingBytes() throws IOException {
    return in.available();
  }
}
