package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailtls.provider.RecordingGuardWrapperTest.Call;
import org.mailtls.provider.RecordingGuardWrapperTest.RecordingGuard;
import org.mailtls.provider.RecordingGuardWrapperTest.Tls;

/**
 * {@link MailTlsSocketFactory} and {@link MailTlsSocket} over real SunJSSE sockets, with the
 * recording fake guard; servers listen on 127.0.0.1, port 0, and every blocking call is bounded.
 */
final class SocketWrapperTest {
  private static final int TIMEOUT_MS = 10_000;

  private final RecordingGuard guard = new RecordingGuard();
  private final RecordingGuard serverGuard = new RecordingGuard();
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopServer() throws InterruptedException {
    executor.shutdownNow();
    assertTrue(executor.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS), "server thread hangs");
  }

  @Test
  void refusedSettingsThrowAndLeaveTheDelegateUnchanged() throws Exception {
    try (MailTlsSocket socket = (MailTlsSocket) factory().createSocket()) {
      String[] protocols = socket.inner().getEnabledProtocols();
      String[] suites = socket.inner().getEnabledCipherSuites();
      assertThrows(IllegalArgumentException.class,
          () -> socket.setEnabledProtocols(new String[] {"TLSv1.1"}));
      assertThrows(IllegalArgumentException.class,
          () -> socket.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.1"}));
      assertThrows(IllegalArgumentException.class, () -> socket.setEnabledProtocols(null));
      assertThrows(IllegalArgumentException.class,
          () -> socket.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA"}));
      SSLParameters lowering = socket.getSSLParameters();
      lowering.setProtocols(new String[] {"TLSv1.1", "TLSv1.2"});
      assertThrows(IllegalArgumentException.class, () -> socket.setSSLParameters(lowering));
      assertArrayEquals(protocols, socket.inner().getEnabledProtocols());
      assertArrayEquals(suites, socket.inner().getEnabledCipherSuites());
      assertTrue(guard.calls("reapplyExtras").isEmpty());
    }
  }

  @Test
  void acceptedSettingsReachTheDelegateAndExtrasAreReapplied() throws Exception {
    try (MailTlsSocket socket = (MailTlsSocket) factory().createSocket()) {
      socket.setEnabledProtocols(new String[] {"TLSv1.3"});
      socket.setEnabledCipherSuites(new String[] {"TLS_AES_256_GCM_SHA384"});
      assertArrayEquals(new String[] {"TLSv1.3"}, socket.inner().getEnabledProtocols());
      assertArrayEquals(new String[] {"TLS_AES_256_GCM_SHA384"},
          socket.inner().getEnabledCipherSuites());
      SSLParameters params = socket.getSSLParameters();
      params.setApplicationProtocols(new String[] {"imap"});
      socket.setSSLParameters(params);
      assertArrayEquals(new String[] {"imap"},
          socket.inner().getSSLParameters().getApplicationProtocols());
      assertSame(socket.inner(), single(guard.calls("reapplyExtras")).target());
      assertSame(socket, socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true));
      assertTrue(socket.getKeepAlive());
      assertTrue(socket.toString().startsWith("MailTlsSocket["), socket::toString);
    }
  }

  @Test
  void supportedListsAreFilteredByTheGuard() throws Exception {
    MailTlsSocketFactory factory = factory();
    try (MailTlsSocket socket = (MailTlsSocket) factory.createSocket()) {
      assertTrue(Arrays.asList(socket.inner().getSupportedProtocols()).contains("TLSv1.1"));
      assertEquals(RecordingGuard.PROTOCOLS, setOf(socket.getSupportedProtocols()));
      assertTrue(RecordingGuard.SUITES.containsAll(setOf(socket.getSupportedCipherSuites())));
      assertTrue(socket.getSupportedCipherSuites().length > 0);
    }
    assertTrue(RecordingGuard.SUITES.containsAll(setOf(factory.getDefaultCipherSuites())));
    assertArrayEquals(factory.getSupportedCipherSuites(), factory.getDefaultCipherSuites());
  }

  @Test
  void unconnectedSocketRecordsTheHostBeforeConnecting() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, Tls.loopback());
        MailTlsSocket timed = (MailTlsSocket) factory().createSocket();
        MailTlsSocket untimed = (MailTlsSocket) factory().createSocket()) {
      int port = listener.getLocalPort();
      Call prepare = guard.calls("prepareClientSocket").get(0);
      assertSame(timed.inner(), prepare.target());
      assertEquals(Arrays.asList(null, 0), prepare.args());

      timed.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      untimed.connect(new InetSocketAddress("127.0.0.1", port));
      List<Call> binds = guard.calls("bindHost");
      assertEquals(2, binds.size());
      assertSame(timed.inner(), binds.get(0).target());
      assertSame(untimed.inner(), binds.get(1).target());
      for (Call bind : binds) {
        assertEquals(List.of("127.0.0.1", port, false), bind.args()); // false: not yet connected
      }
      assertTrue(timed.isConnected());
      assertEquals(port, timed.getPort());

      // A second connect must not rebind the reference host of the live connection.
      assertThrows(SocketException.class,
          () -> timed.connect(new InetSocketAddress("localhost", port), TIMEOUT_MS));
      assertEquals(2, guard.calls("bindHost").size());
    }
  }

  @Test
  void connectRefusesOtherAddressTypes() throws Exception {
    try (MailTlsSocket socket = (MailTlsSocket) factory().createSocket()) {
      assertThrows(IllegalArgumentException.class, () -> socket.connect(new SocketAddress() {}));
      assertThrows(IllegalArgumentException.class, () -> socket.connect(null, TIMEOUT_MS));
      assertTrue(guard.calls("bindHost").isEmpty());
    }
  }

  @Test
  void hostOverloadsPrepareWithTheGivenHost() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, Tls.loopback())) {
      int port = listener.getLocalPort();
      try (Socket a = factory().createSocket("localhost", port);
          Socket b = factory().createSocket("localhost", port, Tls.loopback(), 0)) {
        List<Call> prepares = guard.calls("prepareClientSocket");
        assertSame(((MailTlsSocket) a).inner(), prepares.get(0).target());
        assertSame(((MailTlsSocket) b).inner(), prepares.get(1).target());
        for (Call prepare : prepares) {
          assertEquals(List.of("localhost", port), prepare.args());
        }
        assertTrue(a.isConnected() && b.isConnected());
      }
    }
  }

  @Test
  void inetAddressOverloadsCheckTheIpLiteralNeverAName() throws Exception {
    InetAddress named = InetAddress.getByAddress("mail.example.com", new byte[] {127, 0, 0, 1});
    try (ServerSocket listener = new ServerSocket(0, 50, Tls.loopback())) {
      int port = listener.getLocalPort();
      try (Socket a = factory().createSocket(named, port);
          Socket b = factory().createSocket(named, port, Tls.loopback(), 0)) {
        List<Call> prepares = guard.calls("prepareClientSocket");
        assertEquals(2, prepares.size());
        assertSame(((MailTlsSocket) a).inner(), prepares.get(0).target());
        assertSame(((MailTlsSocket) b).inner(), prepares.get(1).target());
        for (Call prepare : prepares) {
          assertEquals(List.of("127.0.0.1", port), prepare.args());
        }
      }
    }
  }

  @Test
  void nullReferenceHostsAreRefusedBeforeAnySocketIsCreated() throws Exception {
    MailTlsSocketFactory factory = factory();
    assertThrows(IllegalArgumentException.class, () -> factory.createSocket((String) null, 25));
    assertThrows(IllegalArgumentException.class,
        () -> factory.createSocket((String) null, 25, Tls.loopback(), 0));
    assertThrows(IllegalArgumentException.class, () -> factory.createSocket((InetAddress) null, 25));
    try (Socket plain = new Socket()) {
      assertThrows(IllegalArgumentException.class,
          () -> factory.createSocket(plain, null, 25, true));
    }
    assertTrue(guard.calls.isEmpty(), guard.calls::toString);
  }

  @Test
  void failedPreparationClosesTheDelegateSocket() throws Exception {
    guard.failPrepare = true;
    assertThrows(IllegalStateException.class, () -> factory().createSocket());
    assertTrue(((SSLSocket) single(guard.calls("prepareClientSocket")).target()).isClosed());
  }

  @Test
  void layeredClientSocketPreparesWithTheStartTlsHost() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, Tls.loopback());
        Socket plain = new Socket()) {
      int port = listener.getLocalPort();
      plain.connect(new InetSocketAddress(Tls.loopback(), port), TIMEOUT_MS);
      try (Socket layered = factory().createSocket(plain, "localhost", port, true)) {
        Call prepare = single(guard.calls("prepareClientSocket"));
        assertSame(((MailTlsSocket) layered).inner(), prepare.target());
        assertEquals(List.of("localhost", port), prepare.args());
        assertTrue(((SSLSocket) layered).getUseClientMode());
      }
      assertTrue(plain.isClosed(), "autoClose closes the plain socket with the layered one");
    }
  }

  @Test
  void layeredServerSocketPreparesAServerModeSocket() throws Exception {
    MailTlsSocketFactory factory =
        new MailTlsSocketFactory(Tls.get().server.getSocketFactory(), serverGuard);
    try (ServerSocket listener = new ServerSocket(0, 50, Tls.loopback());
        Socket client = new Socket()) {
      listener.setSoTimeout(TIMEOUT_MS);
      client.connect(new InetSocketAddress(Tls.loopback(), listener.getLocalPort()), TIMEOUT_MS);
      try (Socket accepted = listener.accept();
          Socket layered = factory.createSocket(accepted, new ByteArrayInputStream(new byte[0]),
              true)) {
        Call prepare = single(serverGuard.calls("prepareServerSocket(SSLSocket)"));
        assertSame(((MailTlsSocket) layered).inner(), prepare.target());
        assertFalse(((SSLSocket) layered).getUseClientMode());
      }
    }
  }

  @Test
  void modeChangesReachTheGuardOnlyWhenTheModeChanges() throws Exception {
    try (MailTlsSocket socket = (MailTlsSocket) factory().createSocket()) {
      socket.setUseClientMode(true);
      assertTrue(guard.calls("modeChanged").isEmpty());
      socket.setUseClientMode(false);
      Call change = single(guard.calls("modeChanged"));
      assertSame(socket.inner(), change.target());
      assertEquals(List.of(false), change.args());
      assertFalse(socket.getUseClientMode());
    }
  }

  @Test
  void loopbackHandshakeIsCheckedAfterwardsAndCarriesData() throws Exception {
    AtomicReference<SSLSocket> accepted = new AtomicReference<>();
    try (ServerSocket listener = listen()) {
      Future<?> server = serve(listener, s -> {
        accepted.set(s);
        echo(s);
      });
      try (SSLSocket client = (SSLSocket) factory().createSocket("localhost", listener.getLocalPort())) {
        client.setSoTimeout(TIMEOUT_MS);
        client.startHandshake();
        client.getOutputStream().write(42);
        client.getOutputStream().flush();
        assertEquals(42, client.getInputStream().read());
        assertEquals("TLSv1.3", client.getSession().getProtocol());
        assertTrue(client.getSession().isValid());
        assertFalse(client.isClosed());
      }
      server.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    assertNegotiatedTls13(guard);
    assertNegotiatedTls13(serverGuard);
    assertInstanceOf(MailTlsSocket.class, accepted.get());
    Call prepare = single(serverGuard.calls("prepareServerSocket(SSLSocket)"));
    assertSame(((MailTlsSocket) accepted.get()).inner(), prepare.target());
    assertEquals(1, serverGuard.calls("prepareServerSocket(SSLServerSocket)").size());
  }

  @Test
  void handshakeCompletedListenersSeeTheWrapper() throws Exception {
    try (ServerSocket listener = listen()) {
      serve(listener, SocketWrapperTest::echo);
      try (SSLSocket client = (SSLSocket) factory().createSocket("localhost", listener.getLocalPort())) {
        client.setSoTimeout(TIMEOUT_MS);
        List<String> calls = new CopyOnWriteArrayList<>();
        CompletableFuture<HandshakeCompletedEvent> kept = new CompletableFuture<>();
        CompletableFuture<Thread> notifier = new CompletableFuture<>();
        HandshakeCompletedListener removed = event -> calls.add("removed");
        client.addHandshakeCompletedListener(removed);
        client.addHandshakeCompletedListener(event -> {
          calls.add("kept");
          notifier.complete(Thread.currentThread());
          kept.complete(event);
        });
        client.removeHandshakeCompletedListener(removed);
        assertThrows(IllegalArgumentException.class,
            () -> client.removeHandshakeCompletedListener(removed));
        assertThrows(IllegalArgumentException.class,
            () -> client.addHandshakeCompletedListener(null));

        client.startHandshake();
        HandshakeCompletedEvent event = kept.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertSame(client, event.getSocket());
        assertSame(client, event.getSource());
        assertEquals("TLSv1.3", event.getSession().getProtocol());
        // SunJSSE calls all listeners on one notifier thread: once it ends, all have run.
        notifier.get().join(TIMEOUT_MS);
        assertEquals(List.of("kept"), calls);
      }
    }
  }

  @Test
  void alpnSelectorReceivesTheWrapperSocket() throws Exception {
    AtomicReference<SSLSocket> seen = new AtomicReference<>();
    AtomicReference<SSLSocket> accepted = new AtomicReference<>();
    BiFunction<SSLSocket, List<String>, String> selector = (socket, offered) -> {
      seen.set(socket);
      return offered.contains("imap") ? "imap" : null;
    };
    try (ServerSocket listener = listen()) {
      serve(listener, s -> {
        accepted.set(s);
        s.setHandshakeApplicationProtocolSelector(selector);
        assertSame(selector, s.getHandshakeApplicationProtocolSelector());
        echo(s);
      });
      try (SSLSocket client = (SSLSocket) factory().createSocket("localhost", listener.getLocalPort())) {
        client.setSoTimeout(TIMEOUT_MS);
        SSLParameters params = client.getSSLParameters();
        params.setApplicationProtocols(new String[] {"imap", "smtp"});
        client.setSSLParameters(params);
        client.startHandshake();
        assertEquals("imap", client.getApplicationProtocol());
      }
    }
    assertNotNull(seen.get());
    assertSame(accepted.get(), seen.get());
    assertInstanceOf(MailTlsSocket.class, seen.get());
  }

  @Test
  void violationFoundAfterTheHandshakeClosesTheSocket() throws Exception {
    guard.failNegotiated = true;
    try (ServerSocket listener = listen()) {
      serve(listener, SocketWrapperTest::echo);
      try (MailTlsSocket client =
          (MailTlsSocket) factory().createSocket("localhost", listener.getLocalPort())) {
        client.setSoTimeout(TIMEOUT_MS);
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, client::startHandshake);
        assertTrue(e.getMessage().contains("test guard refuses"), e::getMessage);
        assertTrue(client.isClosed());
        assertTrue(client.inner().isClosed());
        assertThrows(IOException.class, () -> client.getOutputStream().write(1));
      }
    }
    assertEquals("TLSv1.3", single(guard.calls("checkNegotiated")).args().get(0));
  }

  @Test
  void violationSeenByGetSessionClosesTheSocketAndInvalidatesTheSession() throws Exception {
    guard.failNegotiated = true;
    try (ServerSocket listener = listen()) {
      serve(listener, SocketWrapperTest::echo);
      try (MailTlsSocket client =
          (MailTlsSocket) factory().createSocket("localhost", listener.getLocalPort())) {
        client.setSoTimeout(TIMEOUT_MS);
        SSLSession session = client.getSession(); // SunJSSE handshakes here
        assertEquals("TLSv1.3", session.getProtocol());
        assertFalse(session.isValid());
        assertTrue(client.isClosed());
      }
    }
  }

  private MailTlsSocketFactory factory() throws Exception {
    return new MailTlsSocketFactory(Tls.get().client.getSocketFactory(), guard);
  }

  private ServerSocket listen() throws Exception {
    MailTlsServerSocketFactory factory =
        new MailTlsServerSocketFactory(Tls.get().server.getServerSocketFactory(), Tls.get().server.getSocketFactory(), serverGuard);
    ServerSocket listener = factory.createServerSocket(0, 50, Tls.loopback());
    listener.setSoTimeout(TIMEOUT_MS);
    return listener;
  }

  /** Accepts one connection on the executor and runs {@code action} on it, then closes it. */
  private Future<?> serve(ServerSocket listener, ServerAction action) {
    return executor.submit(() -> {
      try (SSLSocket accepted = (SSLSocket) listener.accept()) {
        accepted.setSoTimeout(TIMEOUT_MS);
        action.run(accepted);
      }
      return null;
    });
  }

  /** Handshakes, then echoes bytes until the peer closes. */
  private static void echo(SSLSocket socket) throws IOException {
    socket.startHandshake();
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    for (int b = in.read(); b != -1; b = in.read()) {
      out.write(b);
      out.flush();
    }
  }

  private static void assertNegotiatedTls13(RecordingGuard guard) {
    List<Call> checks = guard.calls("checkNegotiated");
    assertFalse(checks.isEmpty(), "checkNegotiated was not called");
    for (Call check : checks) {
      assertEquals("TLSv1.3", check.args().get(0));
    }
  }

  static <T> T single(List<T> list) {
    assertEquals(1, list.size(), list::toString);
    return list.get(0);
  }

  private static Set<String> setOf(String[] values) {
    return Set.of(values);
  }

  @FunctionalInterface
  private interface ServerAction {
    void run(SSLSocket accepted) throws Exception;
  }
}
