package org.mailtls.provider.interop;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTls;
import org.mailtls.provider.interop.HostileStartTlsServers.Conversation;
import org.mailtls.provider.interop.HostileStartTlsServers.Server;
import org.mailtls.provider.starttls.StartTlsViolationException;

/**
 * The provider-level STL-04 guard on a real socket pair: MailTLS's {@code SSLSocketFactory} refuses
 * {@code createSocket(plain, host, port, autoClose)} when the plain socket already holds unread
 * bytes from the server, closes it, and sends nothing (the server sees end of stream, not a
 * ClientHello). The client here reads the go-ahead byte by byte from the socket, as careful STARTTLS
 * code does ({@code mailtls probe}), so the injected bytes are still in the socket.
 */
@Timeout(60)
class HostileStartTlsProviderGuardTest {
  private static final String GO_AHEAD = "220 2.0.0 go";
  private static final String INJECTED = "250 AUTH PLAIN";

  /** Sends the go-ahead and {@code after}, then tries to serve TLS. */
  private static Server server(List<String> after, boolean sameWrite) throws Exception {
    return Server.start(c -> {
      if (sameWrite) {
        c.send(List.of(GO_AHEAD, INJECTED));
      } else {
        c.send(GO_AHEAD);
        c.sendEach(after);
      }
      if (c.startTls()) {
        c.send("250 over TLS");
        c.readLine();
      }
    });
  }

  private static Socket connect(Server server) throws IOException {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
    plain.setSoTimeout(10_000);
    return plain;
  }

  /** Reads one line byte by byte, never past its LF. */
  static String readLineExactly(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
      line.write(c);
    }
    return line.toString(US_ASCII).replaceFirst("\r$", "");
  }

  static void awaitAvailable(Socket s, int atLeast) throws Exception {
    long deadline = System.nanoTime() + HostileStartTlsServers.WAIT.toNanos();
    while (s.getInputStream().available() < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the injected bytes never arrived");
      }
      Thread.sleep(5);
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void injectedBytesInTheSocket_refusedClosedAndNothingSent(JsseEngine engine) throws Exception {
    for (boolean sameWrite : new boolean[] {true, false}) {
      SSLSocketFactory factory = HostileStartTlsServers.mailTlsClient(engine).getSocketFactory();
      try (Server server = server(List.of(INJECTED), sameWrite); Socket plain = connect(server)) {
        assertEquals(GO_AHEAD, readLineExactly(plain.getInputStream()));
        int injected = INJECTED.length() + 2;
        awaitAvailable(plain, injected);

        StartTlsViolationException e = assertThrows(StartTlsViolationException.class,
            () -> factory.createSocket(plain, "localhost", server.port(), true));

        assertEquals("STL-04", e.rule());
        assertEquals(injected, e.unreadBytes(), "available() counted, nothing read: " + e.getMessage());
        assertTrue(e.getMessage().contains("STL-04") && e.getMessage().contains(injected + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("localhost:" + server.port()), e.getMessage());
        assertTrue(plain.isClosed(), "the plain socket is closed");
        Conversation c = server.await(0);
        assertFalse(c.tlsEstablished(), c.toString());
        assertTrue(c.handshakeFailure() != null, "the server got no ClientHello: " + c);
      }
    }
  }

  /** Fail closed even when the caller asked to keep the plain socket open. */
  @Test
  void injectedBytes_autoCloseFalse_stillClosed() throws Exception {
    SSLSocketFactory factory = HostileStartTlsServers.mailTlsClient(JsseEngine.BCJSSE).getSocketFactory();
    try (Server server = server(List.of(INJECTED), true); Socket plain = connect(server)) {
      readLineExactly(plain.getInputStream());
      awaitAvailable(plain, 1);
      assertThrows(StartTlsViolationException.class, () -> factory.createSocket(plain, "localhost", server.port(), false));
      assertTrue(plain.isClosed());
    }
  }

  /** Nothing unread: the check neither blocks nor eats a byte of the ServerHello; TLS works. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void nothingUnread_handshakeAndDataWork(JsseEngine engine) throws Exception {
    SSLSocketFactory factory = HostileStartTlsServers.mailTlsClient(engine).getSocketFactory();
    try (Server server = server(List.of(), false); Socket plain = connect(server)) {
      assertEquals(GO_AHEAD, readLineExactly(plain.getInputStream()));
      try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, "localhost", server.port(), true)) {
        tls.startHandshake();
        assertTrue(MailTls.decisionOf(tls.getSession()).isPresent(), "a MailTLS-checked session");
        assertEquals("250 over TLS", readLineExactly(tls.getInputStream()));
        tls.getOutputStream().write("QUIT\r\n".getBytes(US_ASCII));
        tls.getOutputStream().flush();
        Conversation c = server.await(0);
        assertTrue(c.tlsEstablished(), c.toString());
        assertEquals(List.of("QUIT"), c.tlsLines());
      }
    }
  }

  /** The check only asks {@code available()}: not one {@code read} or {@code skip} before it refuses. */
  @Test
  void check_onlyAsksAvailable() throws Exception {
    SSLSocketFactory factory = HostileStartTlsServers.mailTlsClient(JsseEngine.BCJSSE).getSocketFactory();
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Server server = server(List.of(INJECTED), true); Socket plain = new Socket() {
      private InputStream watched;

      @Override
      public synchronized InputStream getInputStream() throws IOException {
        if (watched == null) {
          watched = new java.io.FilterInputStream(super.getInputStream()) {
            @Override
            public int read() throws IOException {
              calls.add("read");
              return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              calls.add("read");
              return super.read(b, off, len);
            }

            @Override
            public long skip(long n) throws IOException {
              calls.add("skip");
              return super.skip(n);
            }

            @Override
            public int available() throws IOException {
              calls.add("available");
              return super.available();
            }
          };
        }
        return watched;
      }
    }) {
      plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
      assertEquals(GO_AHEAD, readLineExactly(plain.getInputStream()));
      awaitAvailable(plain, INJECTED.length() + 2);
      calls.clear();
      assertThrows(StartTlsViolationException.class, () -> factory.createSocket(plain, "localhost", server.port(), true));
      assertEquals(List.of("available"), calls);
    }
  }

  /** A socket whose input cannot be inspected is refused (and closed), never layered unchecked. */
  @Test
  void inputShutDown_failsClosed() throws Exception {
    SSLSocketFactory factory = HostileStartTlsServers.mailTlsClient(JsseEngine.BCJSSE).getSocketFactory();
    try (Server server = server(List.of(), false); Socket plain = connect(server)) {
      plain.shutdownInput();
      assertThrows(IOException.class, () -> factory.createSocket(plain, "localhost", server.port(), true));
      assertTrue(plain.isClosed());
    }
  }
}
