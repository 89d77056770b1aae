package org.mailtls.provider.server;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.Socket;
import org.jspecify.annotations.Nullable;

/**
 * Reads CRLF-terminated ASCII command lines from a socket, for the command loop of an IMAP, POP3,
 * SMTP or ManageSieve server.
 *
 * <p>Why a reader of our own: STARTTLS command injection (CERT VU#555316, CVE-2011-0411, and again
 * in 2021 in Dovecot submission, Citadel, Courier and others, see requirement STL-03) happens
 * because bytes the client sent after {@code STARTTLS} sit in a read buffer — a {@code
 * BufferedReader}, a {@code BufferedInputStream}, a decoder — and are executed after the handshake
 * as if they had come through TLS. A buffer that the upgrade cannot see cannot be emptied. This
 * reader reads straight from {@link Socket#getInputStream()} (it can only be created over a
 * socket, never over a stream someone may already have wrapped), tells how many bytes it holds
 * ({@link #bufferedBytes()}), and {@link StartTlsUpgrade} retires it: after the upgrade every read
 * throws, so protocol code cannot keep reading cleartext by mistake.
 *
 * <p>Strict framing, because lenient framing is how smuggling works: a line ends only at CRLF; a
 * bare CR or bare LF, a NUL, a non-ASCII byte, a line longer than {@link #maxLineLength()} (CRLF
 * not counted) or a connection closed mid-line is a {@link ProtocolException}, after which the
 * reader stays failed (answer with an error and close the connection). The default maximum, {@value
 * #DEFAULT_MAX_LINE_LENGTH} octets, follows RFC 7162 §4 for IMAP; SMTP allows 512 octets with CRLF
 * (RFC 5321 §4.5.3.1.4) and POP3 255 (RFC 2449 §4), so pass those limits for those protocols.
 * Lines carrying IMAP literals or UTF-8 (RFC 6855) are out of scope.
 *
 * <p>A read timeout ({@link Socket#setSoTimeout}) leaves the partial line in the buffer; the next
 * call continues it. Not thread-safe: one command loop owns it.
 */
public final class LineReader {
  /** The default maximum line length without CRLF (RFC 7162 §4: at least 8192 octets for IMAP). */
  public static final int DEFAULT_MAX_LINE_LENGTH = 8192;

  private static final int MIN_BUFFER = 4096;

  private final Socket socket;
  private final InputStream in;
  private final int maxLineLength;
  private final byte[] buf;
  private int pos;
  private int limit;
  /** Bytes after {@code pos} already scanned without finding a line end. */
  private int scanned;
  private boolean eof;
  private boolean retired;
  private @Nullable String failure;

  private LineReader(Socket socket, int maxLineLength) throws IOException {
    if (maxLineLength < 1) {
      throw new IllegalArgumentException("maxLineLength must be positive: " + maxLineLength);
    }
    this.socket = socket;
    this.in = socket.getInputStream();
    this.maxLineLength = maxLineLength;
    this.buf = new byte[Math.max(maxLineLength + 2, MIN_BUFFER)];
  }

  /** A reader over {@code socket}'s input with the default maximum line length. */
  public static LineReader over(Socket socket) throws IOException {
    return over(socket, DEFAULT_MAX_LINE_LENGTH);
  }

  /** A reader over {@code socket}'s input; lines longer than {@code maxLineLength} (CRLF not counted) fail. */
  public static LineReader over(Socket socket, int maxLineLength) throws IOException {
    return new LineReader(socket, maxLineLength);
  }

  /**
   * The next line without its CRLF, or null when the peer closed the connection between lines.
   *
   * @throws ProtocolException on a framing error (see the class comment); the reader stays failed
   * @throws EOFException when the connection ends in the middle of a line
   * @throws IllegalStateException when the reader was retired by {@link StartTlsUpgrade}
   */
  public @Nullable String readLine() throws IOException {
    checkUsable();
    while (true) {
      int end = findLineEnd();
      if (end >= 0) {
        String line = new String(buf, pos, end - pos, US_ASCII);
        pos = end + 2;
        scanned = 0;
        return line;
      }
      if (limit - pos > maxLineLength + 1) {
        throw fail("line longer than " + maxLineLength + " octets");
      }
      if (eof) {
        if (limit == pos) {
          return null;
        }
        failure = "connection closed in the middle of a line";
        throw new EOFException(failure);
      }
      fill();
    }
  }

  /**
   * How many bytes this reader holds beyond the lines returned so far: a command pipelined behind
   * the current one, or, right after {@code STARTTLS}, an injection attempt.
   */
  public int bufferedBytes() {
    return limit - pos;
  }

  /** The maximum line length, CRLF not counted. */
  public int maxLineLength() {
    return maxLineLength;
  }

  /** Whether {@link StartTlsUpgrade} retired this reader (every read now throws). */
  public boolean isRetired() {
    return retired;
  }

  /** The socket this reader reads from, for the upgrade's check that reader and socket belong together. */
  Socket socket() {
    return socket;
  }

  /**
   * Retires the reader and throws away everything the client sent that the server can see without
   * blocking: the buffered bytes and what the socket reports as {@code available()} (the rest of the
   * TCP segment that carried the command, or later segments already received). Stops once {@code
   * cap} bytes were discarded, so a flood cannot keep the upgrade busy.
   *
   * @return the number of bytes discarded
   */
  long discardAndRetire(long cap) throws IOException {
    checkUsable();
    retired = true;
    long discarded = limit - pos;
    pos = 0;
    limit = 0;
    scanned = 0;
    int n;
    while (!eof && discarded < cap && (n = in.available()) > 0) {
      int r = in.read(buf, 0, Math.min(n, buf.length));
      if (r < 0) {
        eof = true;
      } else {
        discarded += r;
      }
    }
    return discarded;
  }

  private void checkUsable() throws ProtocolException {
    if (retired) {
      throw new IllegalStateException("this reader was retired by STARTTLS: its cleartext input is gone; read"
          + " commands with the reader StartTlsUpgrade returned (STL-03, CVE-2011-0411)");
    }
    if (failure != null) {
      throw new ProtocolException("the command stream failed earlier: " + failure);
    }
  }

  /** The index of the CR of the first CRLF after {@code pos}, or -1; fails on a framing error. */
  private int findLineEnd() throws ProtocolException {
    for (int i = pos + scanned; i < limit; i++) {
      byte b = buf[i];
      if (b == '\r') {
        if (i + 1 == limit) {
          scanned = i - pos;
          return -1; // the LF may still come
        }
        if (buf[i + 1] != '\n') {
          throw fail("bare CR in a command line");
        }
        if (i - pos > maxLineLength) {
          throw fail("line longer than " + maxLineLength + " octets");
        }
        return i;
      }
      if (b == '\n') {
        throw fail("bare LF in a command line (lines end with CRLF)");
      }
      if (b == 0 || b < 0) {
        throw fail(b == 0 ? "NUL in a command line" : "non-ASCII byte in a command line");
      }
    }
    scanned = limit - pos;
    return -1;
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int r = in.read(buf, limit, buf.length - limit);
    if (r < 0) {
      eof = true;
    } else {
      limit += r;
    }
  }

  private ProtocolException fail(String why) {
    failure = why;
    return new ProtocolException(why);
  }
}
