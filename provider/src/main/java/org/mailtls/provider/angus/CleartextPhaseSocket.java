package org.mailtls.provider.angus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.mailtls.provider.starttls.StartTlsViolationException;

/**
 * The plain socket of a STARTTLS connection, guarded until TLS starts: what the server sends is
 * handed to the client one checked line at a time, and never a byte beyond the end of a line.
 *
 * <p>Line by line, because a client reads ahead (Angus IMAP into a 2 KiB buffer, Angus POP3 through
 * an {@code InputStreamReader} that keeps reading while {@code available() > 0}): bytes a
 * man-in-the-middle placed behind the STARTTLS go-ahead would disappear into that buffer, unseen,
 * and be thrown away with it. Handed out exactly, and with {@code available()} never counting past
 * the current line, they stay in the socket. Each line is checked by the {@link CleartextProtocol}
 * before any byte of it is released (STL-06, STL-07); a refused line closes the socket and every
 * later read fails.
 *
 * <p>The cleartext phase ends when the client writes its first TLS record (a byte 0x16 where a
 * command line would start: no mail command begins with a control character). At that moment
 * nothing from the server may be waiting: any byte already received is refused as a response
 * injection (STL-04) and the ClientHello is never sent. From then on both directions pass through
 * untouched. Meant for one reading thread (the mail client's); unconnected when created, the client
 * connects it ({@code SocketFetcher} calls {@code connect} with its timeout).
 */
final class CleartextPhaseSocket extends Socket {
  private static final int TLS_HANDSHAKE_RECORD = 0x16;

  private final CleartextProtocol protocol;
  private final Object streams = new Object();
  private @Nullable GuardedInput input;
  private @Nullable GuardedOutput output;
  private volatile boolean tls;

  CleartextPhaseSocket(CleartextProtocol protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  @Override
  public InputStream getInputStream() throws IOException {
    synchronized (streams) {
      if (input == null) {
        input = new GuardedInput(super.getInputStream());
      }
      return input;
    }
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    synchronized (streams) {
      if (output == null) {
        output = new GuardedOutput(super.getOutputStream());
      }
      return output;
    }
  }

  @Override
  public String toString() {
    return "MailTLS cleartext-phase guard (" + protocol + (tls ? ", TLS started) " : ") ") + super.toString();
  }

  private void startTls() throws IOException {
    GuardedInput in;
    synchronized (streams) {
      in = input;
    }
    if (in != null) {
      in.endCleartext();
    }
    tls = true;
  }

  /** Hands out checked lines until TLS starts, then raw bytes. */
  private final class GuardedInput extends InputStream {
    private final InputStream raw;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private byte[] line = new byte[0];
    private int linePos;
    private int lines;
    private @Nullable IOException failure;

    GuardedInput(InputStream raw) {
      this.raw = raw;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (tls) {
        return raw.read(b, off, len);
      }
      synchronized (this) {
        if (failure != null) {
          throw new IOException(failure.getMessage(), failure);
        }
        if (linePos == line.length && !nextLine()) {
          return -1;
        }
        int n = Math.min(len, line.length - linePos);
        System.arraycopy(line, linePos, b, off, n);
        linePos += n;
        return n;
      }
    }

    /** Reads one whole line byte by byte, checks it, and makes it the line to hand out. */
    private boolean nextLine() throws IOException {
      while (true) {
        int c = raw.read(); // one byte at a time: never past the end of the line
        if (c < 0) {
          return false; // a partial line is never handed out
        }
        partial.write(c);
        if (c == '\n') {
          break;
        }
        if (partial.size() >= CleartextProtocol.MAX_LINE) {
          throw fail(CleartextProtocol.refused("STL-07", "a line longer than " + CleartextProtocol.MAX_LINE
              + " octets arrived before TLS"));
        }
      }
      byte[] next = partial.toByteArray();
      partial.reset();
      String text = new String(next, StandardCharsets.ISO_8859_1).replaceFirst("\r?\n$", "");
      try {
        protocol.check(text, lines++);
      } catch (StartTlsViolationException e) {
        throw fail(e);
      }
      line = next;
      linePos = 0;
      return true;
    }

    /**
     * Cleartext ends (the client is writing its ClientHello): nothing from the server may be waiting,
     * neither half delivered here nor unread in the socket. After its go-ahead a server sends nothing
     * until it has the ClientHello, so such bytes were injected (STL-04).
     */
    synchronized void endCleartext() throws IOException {
      int left = (line.length - linePos) + partial.size() + raw.available();
      if (left > 0) {
        throw fail(new StartTlsViolationException("STL-04", left, "MailTLS refused to start TLS: " + left
            + " bytes from the server were already waiting, unread, behind the STARTTLS go-ahead (response"
            + " injection, STL-04). A server sends nothing after its go-ahead until the client's ClientHello;"
            + " these bytes were placed there to be read as if they had come through TLS. The connection was"
            + " closed before the ClientHello was sent."));
      }
    }

    private IOException fail(IOException e) {
      failure = e;
      try {
        CleartextPhaseSocket.this.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      return e;
    }

    /**
     * Before TLS, only the rest of the current line: a reader that reads ahead while {@code
     * available() > 0} (an {@code InputStreamReader} does) must not pull the bytes behind the
     * go-ahead out of the socket, where {@link #endCleartext()} finds them.
     */
    @Override
    public int available() throws IOException {
      if (tls) {
        return raw.available();
      }
      synchronized (this) {
        return line.length - linePos;
      }
    }

    @Override
    public void close() throws IOException {
      CleartextPhaseSocket.this.close();
    }
  }

  /** Watches for the client's first TLS record; passes everything through. */
  private final class GuardedOutput extends OutputStream {
    private final OutputStream raw;
    private boolean atLineStart = true;

    GuardedOutput(OutputStream raw) {
      this.raw = raw;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return;
      }
      if (!tls) {
        if (atLineStart && b[off] == TLS_HANDSHAKE_RECORD) {
          startTls();
        } else {
          atLineStart = b[off + len - 1] == '\n';
        }
      }
      raw.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      raw.flush();
    }

    @Override
    public void close() throws IOException {
      CleartextPhaseSocket.this.close();
    }
  }
}
