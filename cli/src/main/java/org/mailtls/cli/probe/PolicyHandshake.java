package org.mailtls.cli.probe;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.MailService;
import org.mailtls.provider.MailTls;

/**
 * One connection through the MailTLS client policy, exactly as a mail client makes it.
 *
 * <p>Why a plain socket first, always, and TLS layered with {@code createSocket(plain, host, port,
 * true)}: that is the only way STARTTLS can work, and MailTLS reads the negotiated key-exchange group
 * from the handshake bytes on layered sockets ({@code MailTls.negotiatedGroup}), so implicit TLS and
 * STARTTLS are reported the same way. The host passed to the layering call is the reference host
 * MailTLS checks the certificate against (and sends as SNI).
 */
final class PolicyHandshake {
  private PolicyHandshake() {}

  /**
   * Connects, runs the STARTTLS dialogue for a STARTTLS service, handshakes, reads what MailTLS
   * decided, says goodbye in the protocol and closes.
   *
   * @throws CannotConnectException when the TCP connection cannot be made
   */
  static Handshake run(SSLContext ctx, String host, int port, MailService service, Duration timeout)
      throws CannotConnectException {
    int ms = (int) timeout.toMillis();
    Socket plain = connect(host, port, ms);
    Optional<Capabilities> caps = Optional.empty();
    try {
      plain.setSoTimeout(ms);
      if (!service.implicitTls()) {
        try {
          caps = Optional.of(MailDialogue.startTls(plain, service, ms));
        } catch (IOException e) {
          return Handshake.failed(host, port, service, caps, "STARTTLS dialogue: " + oneLine(e), Optional.empty(),
              List.of());
        }
        plain.setSoTimeout(ms);
      }
      SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
      try {
        tls.startHandshake();
      } catch (IOException e) {
        Optional<TrustDecision.Refused> refused = MailTls.decisionOf(e);
        String why = refused.map(r -> "MailTLS refused the certificate (" + r.rule() + ")")
            .orElse(oneLine(e).startsWith("TLS handshake failed") ? oneLine(e) : "TLS handshake failed: " + oneLine(e));
        return Handshake.failed(host, port, service, caps, why, refused.map(r -> r),
            refused.map(r -> CertificateInfo.of(r.presented().toArray(new Certificate[0]))).orElse(List.of()));
      }
      SSLSession session = tls.getSession();
      List<CertificateInfo> chain;
      try {
        chain = CertificateInfo.of(session.getPeerCertificates());
      } catch (IOException e) {
        chain = List.of();
      }
      Handshake h = new Handshake(host, port, service, caps, Optional.empty(), MailTls.decisionOf(session),
          Optional.of(session.getProtocol()), Optional.of(session.getCipherSuite()), MailTls.negotiatedGroup(session),
          chain, Optional.of(MailTls.assess(tls)));
      goodbye(tls, service);
      return h;
    } catch (IOException e) {
      return Handshake.failed(host, port, service, caps, oneLine(e), Optional.empty(), List.of());
    } finally {
      closeQuietly(plain);
    }
  }

  /** A connected plain socket, or the reason there is none. */
  static Socket connect(String host, int port, int timeoutMillis) throws CannotConnectException {
    Socket plain = new Socket();
    try {
      // the A-label for DNS (InetAddress knows no IDNA); MailTLS still gets the host as typed
      plain.connect(new InetSocketAddress(MailEndpoint.normalize(host), port), timeoutMillis);
      return plain;
    } catch (IOException | IllegalArgumentException e) {
      closeQuietly(plain);
      throw new CannotConnectException("cannot connect to " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
          + ":" + port + ": " + oneLine(e), e);
    }
  }

  /** Ends the session politely (LOGOUT / QUIT) and closes TLS with close_notify; failures do not matter. */
  private static void goodbye(SSLSocket tls, MailService service) {
    try {
      OutputStream out = tls.getOutputStream();
      out.write((MailDialogue.goodbye(service) + "\r\n").getBytes(US_ASCII));
      out.flush();
    } catch (IOException ignored) {
      // the report is complete; the server may already have gone
    }
    closeQuietly(tls);
  }

  /** An exception as one line: its class when the message says nothing, its first line otherwise. */
  static String oneLine(Throwable e) {
    String m = e.getMessage();
    if (e instanceof java.net.UnknownHostException) {
      return "unknown host " + m;
    }
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return Text.printable(nl >= 0 ? m.substring(0, nl) : m);
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing after a failure: nothing left to report
    }
  }
}
