package org.mailtls.provider.interop;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.HostileStartTlsProviderGuardTest.awaitAvailable;
import static org.mailtls.provider.interop.HostileStartTlsProviderGuardTest.readLineExactly;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
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
import org.mailtls.provider.starttls.ClientStartTls;
import org.mailtls.provider.starttls.ClientUpgrade;
import org.mailtls.provider.starttls.StartTlsViolationException;

/**
 * STL-12: {@link ClientStartTls}, the client-side STARTTLS helper, against real servers: (a) it
 * takes the caller's reader, (b) refuses when that reader (or the socket) still holds server bytes
 * after the go-ahead (STL-04), (c) layers TLS with {@code createSocket(plain, host, port, true)},
 * (d) returns a fresh stream and the "capabilities invalidated" marker.
 */
@Timeout(60)
class HostileClientStartTlsTest {
  private static final String GO_AHEAD = "a1 OK Begin TLS negotiation now";
  private static final String INJECTED = "* CAPABILITY IMAP4rev1 AUTH=PLAIN";

  private static Server server(SSLContext tls, boolean inject) throws Exception {
    return Server.start(tls, c -> {
      c.send(inject ? List.of(GO_AHEAD, INJECTED) : List.of(GO_AHEAD));
      if (c.startTls()) {
        c.send("* CAPABILITY IMAP4rev1 XTLS");
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

  private static SSLSocketFactory mailTls(JsseEngine engine) throws Exception {
    return HostileStartTlsServers.mailTlsClient(engine).getSocketFactory();
  }

  /** A BufferedInputStream swallows the injected line with the go-ahead: refused from its buffer. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void bufferedStreamHoldingInjectedBytes_refused(JsseEngine engine) throws Exception {
    try (Server server = server(HostileStartTlsServers.serverTls(), true); Socket plain = connect(server)) {
      BufferedInputStream in = new BufferedInputStream(plain.getInputStream());
      assertEquals(GO_AHEAD, readLineExactly(in));
      awaitBuffered(in, INJECTED.length() + 2);
      assertEquals(0, plain.getInputStream().available(), "the bytes are in the caller's buffer, not the socket");

      StartTlsViolationException e = assertThrows(StartTlsViolationException.class,
          () -> ClientStartTls.upgrade(mailTls(engine), plain, in, "localhost", server.port()));

      assertEquals("STL-04", e.rule());
      assertEquals(INJECTED.length() + 2, e.unreadBytes(), e.getMessage());
      assertTrue(e.getMessage().contains("STL-04"), e.getMessage());
      assertTrue(plain.isClosed());
      Conversation c = server.await(0);
      assertFalse(c.tlsEstablished(), "no ClientHello was sent: " + c);
    }
  }

  /** Bytes still in the socket behind an unbuffered stream: refused from the socket. */
  @Test
  void socketHoldingInjectedBytes_refused() throws Exception {
    try (Server server = server(HostileStartTlsServers.serverTls(), true); Socket plain = connect(server)) {
      assertEquals(GO_AHEAD, readLineExactly(plain.getInputStream()));
      awaitAvailable(plain, INJECTED.length() + 2);
      StartTlsViolationException e = assertThrows(StartTlsViolationException.class, () ->
          ClientStartTls.upgrade(mailTls(JsseEngine.BCJSSE), plain, plain.getInputStream(), "localhost", server.port()));
      assertEquals(INJECTED.length() + 2, e.unreadBytes());
      assertTrue(plain.isClosed());
    }
  }

  /** A character reader that read ahead: refused ("at least 1" unread). */
  @Test
  void readerHoldingInjectedChars_refused() throws Exception {
    try (Server server = server(HostileStartTlsServers.serverTls(), true); Socket plain = connect(server)) {
      BufferedReader reader = new BufferedReader(new InputStreamReader(plain.getInputStream(), US_ASCII));
      assertEquals(GO_AHEAD, reader.readLine());
      StartTlsViolationException e = assertThrows(StartTlsViolationException.class, () ->
          ClientStartTls.upgrade(mailTls(JsseEngine.BCJSSE), plain, reader, "localhost", server.port()));
      assertEquals("STL-04", e.rule());
      assertTrue(e.unreadBytes() >= 1, e.getMessage());
      assertTrue(plain.isClosed());
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void cleanGoAhead_upgradesWithFreshStreamAndMarker(JsseEngine engine) throws Exception {
    try (Server server = server(HostileStartTlsServers.serverTls(), false); Socket plain = connect(server)) {
      BufferedInputStream in = new BufferedInputStream(plain.getInputStream());
      assertEquals(GO_AHEAD, readLineExactly(in));

      ClientUpgrade tls = ClientStartTls.upgrade(mailTls(engine), plain, in, "localhost", server.port());

      assertTrue(tls.capabilitiesInvalidated());
      SSLSocket s = tls.socket();
      assertTrue(s.getSession().getProtocol().startsWith("TLSv1."), "handshake done: " + s.getSession());
      assertTrue(MailTls.decisionOf(s.getSession()).isPresent(), "checked by MailTLS against 'localhost'");
      assertEquals("* CAPABILITY IMAP4rev1 XTLS", readLineExactly(tls.input()), "read over TLS, fresh stream");
      tls.output().write("a2 LOGOUT\r\n".getBytes(US_ASCII));
      tls.output().flush();
      Conversation c = server.await(0);
      assertEquals(List.of("a2 LOGOUT"), c.tlsLines(), c.toString());
      s.close();
    }
  }

  /** The certificate is checked against the host given, exactly as for implicit TLS (STL-11). */
  @Test
  void wrongNameCertificate_refusedAndClosed() throws Exception {
    SSLContext wrongName = HostileStartTlsServers.serverTls(
        HostileStartTlsServers.PKI.leaf().addDnsName("other.example.net").build());
    try (Server server = server(wrongName, false); Socket plain = connect(server)) {
      BufferedInputStream in = new BufferedInputStream(plain.getInputStream());
      readLineExactly(in);
      SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
          () -> ClientStartTls.upgrade(mailTls(JsseEngine.BCJSSE), plain, in, "localhost", server.port()));
      assertEquals("R7817-C-01", MailTls.decisionOf(e).orElseThrow().rule());
      assertTrue(plain.isClosed());
    }
  }

  @Test
  void arguments_validated() throws Exception {
    SSLSocketFactory f = mailTls(JsseEngine.BCJSSE);
    try (Server server = server(HostileStartTlsServers.serverTls(), false); Socket plain = connect(server)) {
      NullPointerException npe = assertThrows(NullPointerException.class,
          () -> ClientStartTls.upgrade(f, plain, plain.getInputStream(), null, 143));
      assertTrue(npe.getMessage().contains("host"), npe.getMessage());
      assertThrows(NullPointerException.class,
          () -> ClientStartTls.upgrade(f, plain, (java.io.InputStream) null, "localhost", 143));
      assertThrows(IllegalArgumentException.class,
          () -> ClientStartTls.upgrade(f, plain, plain.getInputStream(), "localhost", 0));
      assertThrows(IllegalArgumentException.class,
          () -> ClientStartTls.upgrade(f, new Socket(), plain.getInputStream(), "localhost", 143));
      assertFalse(plain.isClosed(), "argument errors leave the connection alone");
    }
  }

  private static void awaitBuffered(BufferedInputStream in, int atLeast) throws Exception {
    long deadline = System.nanoTime() + HostileStartTlsServers.WAIT.toNanos();
    while (in.available() < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the injected bytes never arrived");
      }
      Thread.sleep(5);
    }
  }
}
