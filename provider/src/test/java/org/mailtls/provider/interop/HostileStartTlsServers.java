package org.mailtls.provider.interop;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/**
 * Small scripted mail servers for the hostile-STARTTLS tests (STL-04 to STL-07): each listens on
 * 127.0.0.1 on a free port, runs one thread that serves connections one after the other with a
 * {@link Script}, and records every line the client sent, split into the cleartext phase and the
 * TLS phase. TLS is served by a raw SunJSSE context with a {@link TestPki} leaf for "localhost";
 * the clients are Angus Mail 2.0.5 over MailTLS, so every handshake is real.
 *
 * <p>Lines are read byte by byte, never past a CRLF, so a server never swallows the client's
 * ClientHello and the recorded cleartext is exactly what the client wrote before TLS.
 */
final class HostileStartTlsServers {
  static final String HOST = "localhost";
  static final String USER = "alice";
  /** The password every client uses; it must never appear among the cleartext lines. */
  static final String PASSWORD = "never-in-cleartext-7f3a";
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final char[] KEY_PASSWORD = "changeit".toCharArray();

  /** The PKI the MailTLS clients trust; the servers' leaves come from it. */
  static final TestPki PKI = TestPki.create();
  private static final HeldCertificate LOCALHOST_LEAF = PKI.leaf().addDnsName(HOST).build();

  private HostileStartTlsServers() {}

  /** A raw SunJSSE server context serving {@code leaf} (with its intermediate). */
  static SSLContext serverTls(HeldCertificate leaf) throws Exception {
    KeyStore ks = TestPki.keyStore(leaf, KEY_PASSWORD);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(ks, KEY_PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** A raw server context for a valid "localhost" certificate of {@link #PKI}. */
  static SSLContext serverTls() throws Exception {
    return serverTls(LOCALHOST_LEAF);
  }

  /** A MailTLS client context over {@code engine} trusting {@link #PKI}, obtained by name. */
  static SSLContext mailTlsClient(JsseEngine engine) throws Exception {
    MailTlsProvider provider = new MailTlsProvider(engine);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(PKI.trustStore());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** What the server does on one connection. */
  interface Script {
    void run(Conversation c) throws Exception;
  }

  /** How a conversation ended. */
  enum End { CLIENT_CLOSED, SCRIPT_ENDED, TIMEOUT, FAILED }

  /** The server side of one connection, and its record. */
  static final class Conversation {
    private final Socket plain;
    private final SSLContext tlsContext;
    private InputStream in;
    private OutputStream out;
    private volatile boolean tls;
    private final List<String> cleartext = Collections.synchronizedList(new ArrayList<>());
    private final List<String> overTls = Collections.synchronizedList(new ArrayList<>());
    private volatile String handshakeFailure;
    private volatile End end;
    private volatile Exception failure;
    private final CountDownLatch done = new CountDownLatch(1);

    Conversation(Socket plain, SSLContext tlsContext) throws IOException {
      this.plain = plain;
      this.tlsContext = tlsContext;
      this.in = plain.getInputStream();
      this.out = plain.getOutputStream();
    }

    /** The next client line without CRLF, or null at end of stream; recorded with its phase. */
    String readLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          String s = line.toString(ISO_8859_1).replaceFirst("\r$", "");
          (tls ? overTls : cleartext).add(s);
          return s;
        }
        line.write(c);
      }
      if (line.size() > 0) {
        (tls ? overTls : cleartext).add(line.toString(ISO_8859_1) + " <no CRLF>");
      }
      return null;
    }

    /** Writes all lines, each with CRLF, in one write. */
    void send(String... lines) throws IOException {
      send(List.of(lines));
    }

    void send(List<String> lines) throws IOException {
      StringBuilder sb = new StringBuilder();
      for (String l : lines) {
        sb.append(l).append("\r\n");
      }
      out.write(sb.toString().getBytes(ISO_8859_1));
      out.flush();
    }

    /** Writes each line in a write of its own, back to back. */
    void sendEach(List<String> lines) throws IOException {
      for (String l : lines) {
        send(l);
      }
    }

    /** Layers server TLS over the plain socket and handshakes; false (recorded) when the client gave up. */
    boolean startTls() throws IOException {
      SSLSocket s = (SSLSocket) tlsContext.getSocketFactory()
          .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
      s.setUseClientMode(false);
      try {
        s.startHandshake();
      } catch (IOException e) {
        handshakeFailure = e.toString();
        return false;
      }
      in = s.getInputStream();
      out = s.getOutputStream();
      tls = true;
      return true;
    }

    boolean isTls() {
      return tls;
    }

    /** The client's lines before TLS. */
    List<String> cleartextLines() {
      synchronized (cleartext) {
        return List.copyOf(cleartext);
      }
    }

    /** The client's lines over TLS. */
    List<String> tlsLines() {
      synchronized (overTls) {
        return List.copyOf(overTls);
      }
    }

    /** Whether a TLS handshake with the client completed. */
    boolean tlsEstablished() {
      return tls;
    }

    String handshakeFailure() {
      return handshakeFailure;
    }

    End end() {
      return end;
    }

    /** The command words of the cleartext lines ("A0 CAPABILITY" → "CAPABILITY"; SMTP/POP3: the first word). */
    List<String> cleartextCommands(boolean tagged) {
      List<String> out = new ArrayList<>();
      for (String l : cleartextLines()) {
        String[] w = l.split(" ");
        String word = tagged ? (w.length > 1 ? w[1] : "") : w[0];
        out.add(word.toUpperCase(java.util.Locale.ROOT));
      }
      return out;
    }

    @Override
    public String toString() {
      return "cleartext " + cleartextLines() + ", TLS " + (tls ? tlsLines() : "never established")
          + (handshakeFailure != null ? " (server handshake: " + handshakeFailure + ")" : "") + ", end " + end
          + (failure != null ? " (" + failure + ")" : "");
    }
  }

  /** One listening server. */
  static final class Server implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread thread;
    private final List<Conversation> conversations = Collections.synchronizedList(new ArrayList<>());
    private volatile Socket current;

    private Server(ServerSocket listener, SSLContext tls, Script script) {
      this.listener = listener;
      this.thread = new Thread(() -> serve(tls, script), "hostile-server-" + listener.getLocalPort());
      this.thread.setDaemon(true);
    }

    /** Starts a server running {@code script} per connection, TLS from {@link #serverTls()}. */
    static Server start(Script script) throws Exception {
      return start(serverTls(), script);
    }

    static Server start(SSLContext tls, Script script) throws IOException {
      ServerSocket l = new ServerSocket(0, 10, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
      Server s = new Server(l, tls, script);
      s.thread.start();
      return s;
    }

    int port() {
      return listener.getLocalPort();
    }

    int accepted() {
      return conversations.size();
    }

    /** The {@code index}-th conversation (from 0), once it has ended. */
    Conversation await(int index) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (conversations.size() <= index) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no connection #" + index + " within " + WAIT + "; accepted " + accepted());
        }
        Thread.sleep(10);
      }
      Conversation c = conversations.get(index);
      if (!c.done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("connection #" + index + " did not end within " + WAIT + ": " + c);
      }
      return c;
    }

    private void serve(SSLContext tls, Script script) {
      while (!listener.isClosed()) {
        try (Socket s = listener.accept()) {
          current = s;
          s.setSoTimeout((int) WAIT.toMillis());
          s.setTcpNoDelay(true);
          Conversation c = new Conversation(s, tls);
          conversations.add(c);
          try {
            script.run(c);
            c.end = c.end != null ? c.end : End.SCRIPT_ENDED;
          } catch (SocketTimeoutException e) {
            c.end = End.TIMEOUT;
          } catch (Exception e) {
            c.end = End.FAILED;
            c.failure = e;
          } finally {
            c.done.countDown();
          }
        } catch (IOException e) {
          // listener closed, or the accepted socket failed before the script ran
        }
      }
    }

    /** Marks the conversation as ended by the client (its read returned end of stream). */
    static void clientClosed(Conversation c) {
      c.end = End.CLIENT_CLOSED;
    }

    @Override
    public void close() throws Exception {
      listener.close();
      Socket s = current;
      if (s != null) {
        s.close();
      }
      thread.join(WAIT.toMillis());
    }
  }
}
