package org.mailtls.provider;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.tls.TlsException;
import org.mailtls.policy.TrustDecision;

/**
 * Turns an engine's report of a MailTLS refusal into an {@link SSLHandshakeException} that carries
 * MailTLS's message, with the original as its cause.
 *
 * <p>Why: BCJSSE reports a trust-manager refusal as {@code TlsFatalAlert: certificate_unknown(46)},
 * which is an {@link IOException} but not an {@link SSLException}, so code that catches
 * {@code SSLException} misses it and users see only the alert name (Angus Mail shows
 * "certificate_unknown(46)"); its other handshake failures ({@code TlsFatalAlertReceived:
 * protocol_version(70)}) have the same problem. SunJSSE already throws {@code
 * SSLHandshakeException}; it is left as is.
 */
final class Refusals {
  private Refusals() {}

  /** The exception to throw instead of {@code e}: a translated one when it hides a MailTLS refusal. */
  static IOException translate(IOException e) {
    if (e instanceof SSLHandshakeException) {
      return e;
    }
    Optional<TrustDecision.Refused> d = MailTls.decisionOf(e);
    String message;
    if (d.isPresent()) {
      message = d.get().message();
    } else if (e instanceof TlsException) {
      // BCJSSE's own handshake failures (a peer's protocol_version or handshake_failure alert)
      // are not SSLExceptions either; SunJSSE reports the same events as SSLHandshakeException.
      message = "TLS handshake failed: " + e.getMessage();
    } else {
      return e;
    }
    SSLHandshakeException t = new SSLHandshakeException(message);
    t.initCause(e);
    return t;
  }

  /** As {@link #translate(IOException)} for engine calls, which may only throw {@link SSLException}. */
  static SSLException translate(SSLException e) {
    return (SSLException) translate((IOException) e);
  }

  /** An input stream whose read failures are translated. */
  static InputStream input(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException e) {
          throw translate(e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return in.read(b, off, len);
        } catch (IOException e) {
          throw translate(e);
        }
      }
    };
  }

  /** An output stream whose write failures are translated. */
  static OutputStream output(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        try {
          out.write(b);
        } catch (IOException e) {
          throw translate(e);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          out.write(b, off, len);
        } catch (IOException e) {
          throw translate(e);
        }
      }

      @Override
      public void flush() throws IOException {
        try {
          out.flush();
        } catch (IOException e) {
          throw translate(e);
        }
      }
    };
  }
}
