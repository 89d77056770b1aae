package org.mailtls.provider.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.server.ServerFixtures.readLine;
import static org.mailtls.provider.server.ServerFixtures.send;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.server.ServerFixtures.SocketPair;

/**
 * {@link StartTlsUpgrade} on one loopback socket pair, server side driven directly (STL-03, STL-08,
 * STL-12): a reader holding bytes behind STARTTLS is emptied and retired, refusals touch nothing,
 * misuse is refused.
 */
@Timeout(60)
class StartTlsUpgradeTest {
  private final ExecutorService serverThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() throws InterruptedException {
    serverThread.shutdownNow();
    assertTrue(serverThread.awaitTermination(ServerFixtures.TIMEOUT_MS, TimeUnit.MILLISECONDS));
  }

  /**
   * STL-12: a reader pre-filled with bytes behind STARTTLS: exactly those bytes are discarded, the
   * old reader is retired (reading throws), the new one reads commands sent through TLS.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void upgrade_readerHoldsInjectedLine_discardedAndOldReaderRetired(JsseEngine engine) throws Exception {
    StartTlsUpgrade upgrade = StartTlsUpgrade.using(ServerFixtures.server(engine));
    try (SocketPair pair = SocketPair.open()) {
      LineReader reader = LineReader.over(pair.server());
      send(pair.client(), "x STARTTLS\r\ny NOOP\r\n");
      assertEquals("x STARTTLS", reader.readLine());
      assertEquals("y NOOP\r\n".length(), reader.bufferedBytes());

      Future<UpgradedConnection> server = serverThread.submit(() ->
          upgrade.upgrade(ServerSessionState.PLAIN_UNAUTHENTICATED, pair.server(), reader, "x OK go ahead"));
      assertEquals("x OK go ahead", readLine(pair.client()));
      SSLSocket tls = ServerFixtures.clientStartTls(ServerFixtures.client(engine), pair.client());
      UpgradedConnection c = server.get(ServerFixtures.TIMEOUT_MS, TimeUnit.MILLISECONDS);

      assertEquals("y NOOP\r\n".length(), c.discardedBytes());
      assertEquals(ServerSessionState.TLS_UNAUTHENTICATED, c.state());
      assertFalse(c.socket().getUseClientMode());
      assertTrue(reader.isRetired());
      assertEquals(0, reader.bufferedBytes());
      IllegalStateException e = assertThrows(IllegalStateException.class, reader::readLine);
      assertTrue(e.getMessage().contains("STARTTLS"), e::getMessage);
      send(tls, "z NOOP\r\n");
      assertEquals("z NOOP", c.reader().readLine());
      tls.close();
      assertNull(c.reader().readLine(), "EOF after the client closed");
    }
  }

  /**
   * STL-03: bytes that reached the server's socket but not yet the reader (a later segment, already
   * received) are discarded too, through {@code available()}.
   */
  @Test
  void upgrade_bytesReceivedButNotYetRead_discarded() throws Exception {
    StartTlsUpgrade upgrade = StartTlsUpgrade.using(ServerFixtures.server(JsseEngine.BCJSSE));
    try (SocketPair pair = SocketPair.open()) {
      LineReader reader = LineReader.over(pair.server());
      send(pair.client(), "x STARTTLS\r\n");
      assertEquals("x STARTTLS", reader.readLine());
      assertEquals(0, reader.bufferedBytes());
      send(pair.client(), "y NOOP\r\n");
      awaitAvailable(pair.server(), "y NOOP\r\n".length());

      Future<UpgradedConnection> server = serverThread.submit(() ->
          upgrade.upgrade(ServerSessionState.PLAIN_UNAUTHENTICATED, pair.server(), reader, "x OK go ahead"));
      assertEquals("x OK go ahead", readLine(pair.client()));
      SSLSocket tls = ServerFixtures.clientStartTls(ServerFixtures.client(JsseEngine.BCJSSE), pair.client());
      UpgradedConnection c = server.get(ServerFixtures.TIMEOUT_MS, TimeUnit.MILLISECONDS);
      assertEquals("y NOOP\r\n".length(), c.discardedBytes());
      send(tls, "z NOOP\r\n");
      assertEquals("z NOOP", c.reader().readLine());
    }
  }

  /** More than {@link StartTlsUpgrade#MAX_DISCARDED_BYTES} after STARTTLS closes even the discarding upgrade. */
  @Test
  void upgrade_flood_closesConnection() throws Exception {
    StartTlsUpgrade upgrade = StartTlsUpgrade.using(ServerFixtures.server(JsseEngine.BCJSSE));
    try (ServerSocket listener = new ServerSocket()) {
      listener.setReceiveBufferSize(1 << 20);
      listener.bind(new InetSocketAddress(ServerFixtures.loopback(), 0));
      try (Socket client = new Socket(ServerFixtures.loopback(), listener.getLocalPort());
          Socket plain = listener.accept()) {
        client.setSoTimeout(ServerFixtures.TIMEOUT_MS);
        plain.setSoTimeout(ServerFixtures.TIMEOUT_MS);
        LineReader reader = LineReader.over(plain);
        send(client, "x STARTTLS\r\n");
        assertEquals("x STARTTLS", reader.readLine());
        int flood = (int) StartTlsUpgrade.MAX_DISCARDED_BYTES + 1000;
        send(client, "y NOOP\r\n".repeat(flood / 8 + 1));
        awaitAvailable(plain, (int) StartTlsUpgrade.MAX_DISCARDED_BYTES);

        StartTlsInjectionException e = assertThrows(StartTlsInjectionException.class, () ->
            upgrade.upgrade(ServerSessionState.PLAIN_UNAUTHENTICATED, plain, reader, "x OK go ahead"));
        assertTrue(e.injectedBytes() >= StartTlsUpgrade.MAX_DISCARDED_BYTES, () -> "counted " + e.injectedBytes());
        assertTrue(plain.isClosed());
        assertTrue(reader.isRetired());
      }
    }
  }

  /** Polls (bounded) until the kernel holds at least {@code n} unread bytes for {@code s}. */
  private static void awaitAvailable(Socket s, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ServerFixtures.TIMEOUT_MS);
    while (s.getInputStream().available() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + s.getInputStream().available() + " of " + n + " bytes arrived");
      }
      Thread.sleep(5);
    }
  }

  /** A well-behaved client: nothing discarded. */
  @Test
  void upgrade_cleanClient_nothingDiscarded() throws Exception {
    StartTlsUpgrade upgrade = StartTlsUpgrade.using(ServerFixtures.server(JsseEngine.BCJSSE));
    try (SocketPair pair = SocketPair.open()) {
      LineReader reader = LineReader.over(pair.server());
      send(pair.client(), "x STARTTLS\r\n");
      assertEquals("x STARTTLS", reader.readLine());
      Future<UpgradedConnection> server = serverThread.submit(() ->
          upgrade.upgrade(ServerSessionState.PLAIN_UNAUTHENTICATED, pair.server(), reader, "x OK go ahead"));
      assertEquals("x OK go ahead", readLine(pair.client()));
      ServerFixtures.clientStartTls(ServerFixtures.client(JsseEngine.BCJSSE), pair.client());
      assertEquals(0, server.get(ServerFixtures.TIMEOUT_MS, TimeUnit.MILLISECONDS).discardedBytes());
    }
  }

  /**
   * STL-08, RFC 3207 §4.2: refused after login and when TLS is on; the refusal touches nothing: the
   * reader keeps its bytes and stays usable, and the next bytes the client sees are the caller's.
   */
  @Test
  void upgrade_refusedStates_connectionUntouched() throws Exception {
    StartTlsUpgrade upgrade = StartTlsUpgrade.using(ServerFixtures.server(JsseEngine.BCJSSE));
    try (SocketPair pair = SocketPair.open()) {
      LineReader reader = LineReader.over(pair.server());
      send(pair.client(), "x STARTTLS\r\ny NOOP\r\n");
      assertEquals("x STARTTLS", reader.readLine());

      StartTlsRefusedException loggedIn = assertThrows(StartTlsRefusedException.class, () ->
          upgrade.upgrade(ServerSessionState.PLAIN_AUTHENTICATED, pair.server(), reader, "x OK go ahead"));
      assertEquals(StartTlsRefusedException.Reason.ALREADY_AUTHENTICATED, loggedIn.reason());
      for (ServerSessionState tls : new ServerSessionState[] {
          ServerSessionState.TLS_UNAUTHENTICATED, ServerSessionState.TLS_AUTHENTICATED}) {
        StartTlsRefusedException again = assertThrows(StartTlsRefusedException.class, () ->
            upgrade.upgrade(tls, pair.server(), reader, "x OK go ahead"));
        assertEquals(StartTlsRefusedException.Reason.TLS_ALREADY_ACTIVE, again.reason());
      }

      assertFalse(reader.isRetired());
      assertEquals("y NOOP", reader.readLine());
      send(pair.server(), "x BAD not now\r\n");
      assertEquals("x BAD not now", readLine(pair.client()), "nothing was written before the caller's answer");
    }
  }

  /** The reader must be the one reading from this socket: otherwise its buffer would go unchecked. */
  @Test
  void upgrade_readerOfAnotherSocket_illegalArgument() throws Exception {
    StartTlsUpgrade upgrade = StartTlsUpgrade.using(ServerFixtures.server(JsseEngine.BCJSSE));
    try (SocketPair one = SocketPair.open(); SocketPair other = SocketPair.open()) {
      LineReader foreign = LineReader.over(other.server());
      assertThrows(IllegalArgumentException.class, () ->
          upgrade.upgrade(ServerSessionState.PLAIN_UNAUTHENTICATED, one.server(), foreign, "x OK"));
      assertFalse(foreign.isRetired());
    }
  }

  /** The go-ahead is one line of printable ASCII; the upgrade adds the CRLF. */
  @Test
  void upgrade_goAheadWithLineBreak_illegalArgument() throws Exception {
    StartTlsUpgrade upgrade = StartTlsUpgrade.using(ServerFixtures.server(JsseEngine.BCJSSE));
    try (SocketPair pair = SocketPair.open()) {
      LineReader reader = LineReader.over(pair.server());
      for (String bad : new String[] {"", "x OK\r\n", "x OK\r\n* OK injected", "x OK caf\u00e9"}) {
        assertThrows(IllegalArgumentException.class, () ->
            upgrade.upgrade(ServerSessionState.PLAIN_UNAUTHENTICATED, pair.server(), reader, bad), bad);
      }
      assertFalse(reader.isRetired());
    }
  }

  /** R8314-S-04: only a MailTLS context with a server key; the closing variant is a separate object. */
  @Test
  void using_foreignOrKeylessContext_illegalArgument() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> StartTlsUpgrade.using(ServerFixtures.rawServer()));
    assertThrows(IllegalArgumentException.class,
        () -> StartTlsUpgrade.using(ServerFixtures.client(JsseEngine.SUNJSSE)));
    StartTlsUpgrade discarding = StartTlsUpgrade.using(ServerFixtures.server(JsseEngine.SUNJSSE));
    assertFalse(discarding.closesOnInjectedBytes());
    assertTrue(discarding.closingOnInjectedBytes().closesOnInjectedBytes());
  }
}
