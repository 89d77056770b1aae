package org.mailtls.provider.server;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/** Contexts (obtained by name), loopback socket pairs and a byte-exact line reader for the client side. */
final class ServerFixtures {
  static final String HOST = "mail.example.net";
  static final int TIMEOUT_MS = 10_000;
  static final char[] PASSWORD = "changeit".toCharArray();
  static final TestPki PKI = TestPki.create();
  static final HeldCertificate LEAF = PKI.leaf().addDnsName(HOST).build();

  private ServerFixtures() {}

  /** A MailTLS server context serving {@link #LEAF}. */
  static SSLContext server(JsseEngine engine) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", p);
    kmf.init(TestPki.keyStore(LEAF, PASSWORD), PASSWORD);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", p);
    tmf.init(PKI.trustStore());
    SSLContext ctx = SSLContext.getInstance("MailTLS", p);
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A MailTLS client context trusting {@link #PKI}; it has no key managers, so no server key either. */
  static SSLContext client(JsseEngine engine) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", p);
    tmf.init(PKI.trustStore());
    SSLContext ctx = SSLContext.getInstance("MailTLS", p);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A raw SunJSSE context that does hold the server key (not MailTLS: never vouched for). */
  static SSLContext rawServer() throws Exception {
    KeyStore ks = TestPki.keyStore(LEAF, PASSWORD);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
    return ctx;
  }

  static InetAddress loopback() throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
  }

  /** A connected loopback pair with read timeouts; closing it closes both ends. */
  record SocketPair(Socket client, Socket server) implements AutoCloseable {
    static SocketPair open() throws IOException {
      try (ServerSocket listener = new ServerSocket(0, 1, loopback())) {
        Socket client = new Socket(loopback(), listener.getLocalPort());
        Socket server = listener.accept();
        for (Socket s : new Socket[] {client, server}) {
          s.setSoTimeout(TIMEOUT_MS);
          s.setTcpNoDelay(true);
        }
        return new SocketPair(client, server);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        client.close();
      } finally {
        server.close();
      }
    }
  }

  /** Writes {@code text} in one write call (one TCP segment on loopback with TCP_NODELAY). */
  static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(US_ASCII));
    out.flush();
  }

  /** Reads one CRLF line byte by byte, so that no byte after it (a ClientHello, say) is consumed. */
  static String readLine(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed after \"" + line.toString(US_ASCII) + "\"");
      }
      if (prev == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, US_ASCII);
      }
      line.write(b);
      prev = b;
    }
  }

  /** A MailTLS client's STARTTLS: layers TLS over {@code plain} for {@link #HOST} and handshakes. */
  static SSLSocket clientStartTls(SSLContext client, Socket plain) throws IOException {
    SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(plain, HOST, plain.getPort(), true);
    tls.startHandshake();
    return tls;
  }
}
