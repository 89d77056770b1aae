package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.SocketWrapperTest.single;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;
import org.mailtls.provider.RecordingGuardWrapperTest.Call;
import org.mailtls.provider.RecordingGuardWrapperTest.RecordingGuard;
import org.mailtls.provider.RecordingGuardWrapperTest.Tls;

/** {@link MailTlsServerSocketFactory} and {@link MailTlsServerSocket} over SunJSSE, on 127.0.0.1. */
final class ServerSocketWrapperTest {
  private static final int TIMEOUT_MS = 10_000;

  private final RecordingGuard guard = new RecordingGuard();

  @Test
  void unboundServerSocketIsPreparedThenBoundThroughThePlainListener() throws Exception {
    MailTlsServerSocket listener = (MailTlsServerSocket) factory().createServerSocket();
    try (listener) {
      assertSame(listener.inner(), single(guard.calls("prepareServerSocket(SSLServerSocket)")).target());
      assertFalse(listener.isBound());
      listener.bind(new InetSocketAddress(Tls.loopback(), 0), 50);
      assertTrue(listener.isBound() && listener.listener().isBound());
      assertFalse(listener.inner().isBound(), "the engine's server socket only holds the TLS settings");
      assertTrue(listener.getLocalPort() > 0);
      assertEquals(listener.listener().getLocalPort(), listener.getLocalPort());
      assertEquals(Tls.loopback(), listener.getInetAddress());
      assertEquals(listener.listener().getLocalSocketAddress(), listener.getLocalSocketAddress());
      listener.setSoTimeout(TIMEOUT_MS);
      assertEquals(TIMEOUT_MS, listener.listener().getSoTimeout());
      assertSame(listener, listener.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024));
      assertTrue(listener.toString().startsWith("MailTlsServerSocket["), listener::toString);
    }
    assertTrue(listener.isClosed());
    assertTrue(listener.listener().isClosed());
    assertTrue(listener.inner().isClosed());
  }

  @Test
  void acceptPreparesAndWrapsTheAcceptedSocket() throws Exception {
    try (MailTlsServerSocket listener =
            (MailTlsServerSocket) factory().createServerSocket(0, 50, Tls.loopback());
        Socket client = new Socket()) {
      listener.setSoTimeout(TIMEOUT_MS);
      client.connect(new InetSocketAddress(Tls.loopback(), listener.getLocalPort()), TIMEOUT_MS);
      try (Socket accepted = listener.accept()) {
        MailTlsSocket wrapper = assertInstanceOf(MailTlsSocket.class, accepted);
        assertSame(wrapper.inner(), single(guard.calls("prepareServerSocket(SSLSocket)")).target());
        assertFalse(wrapper.getUseClientMode());
        assertEquals(client.getLocalPort(), wrapper.getPort());
      }
    }
  }

  @Test
  void failedPreparationClosesTheDelegateServerSocket() throws Exception {
    guard.failPrepare = true;
    assertThrows(IllegalStateException.class,
        () -> factory().createServerSocket(0, 50, Tls.loopback()));
    Call prepare = single(guard.calls("prepareServerSocket(SSLServerSocket)"));
    assertTrue(((ServerSocket) prepare.target()).isClosed());
  }

  @Test
  void refusedSettingsThrowAndLeaveTheDelegateUnchanged() throws Exception {
    try (MailTlsServerSocket listener = (MailTlsServerSocket) factory().createServerSocket()) {
      SSLServerSocket inner = listener.inner();
      String[] protocols = inner.getEnabledProtocols();
      String[] suites = inner.getEnabledCipherSuites();
      assertThrows(IllegalArgumentException.class,
          () -> listener.setEnabledProtocols(new String[] {"TLSv1.1"}));
      assertThrows(IllegalArgumentException.class,
          () -> listener.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA"}));
      SSLParameters lowering = listener.getSSLParameters();
      lowering.setProtocols(new String[] {"TLSv1.1"});
      assertThrows(IllegalArgumentException.class, () -> listener.setSSLParameters(lowering));
      assertArrayEquals(protocols, inner.getEnabledProtocols());
      assertArrayEquals(suites, inner.getEnabledCipherSuites());
      assertTrue(guard.calls("reapplyExtras").isEmpty());

      listener.setEnabledProtocols(new String[] {"TLSv1.3"});
      assertArrayEquals(new String[] {"TLSv1.3"}, inner.getEnabledProtocols());
      listener.setSSLParameters(listener.getSSLParameters());
      assertSame(inner, single(guard.calls("reapplyExtras")).target());
    }
  }

  @Test
  void supportedListsAndDefaultsAreFilteredByTheGuard() throws Exception {
    MailTlsServerSocketFactory factory = factory();
    try (MailTlsServerSocket listener = (MailTlsServerSocket) factory.createServerSocket()) {
      assertTrue(Arrays.asList(listener.inner().getSupportedProtocols()).contains("TLSv1.1"));
      assertEquals(RecordingGuard.PROTOCOLS, Set.of(listener.getSupportedProtocols()));
      assertTrue(RecordingGuard.SUITES.containsAll(Set.of(listener.getSupportedCipherSuites())));
    }
    assertTrue(RecordingGuard.SUITES.containsAll(Set.of(factory.getDefaultCipherSuites())));
    assertTrue(factory.getDefaultCipherSuites().length > 0);
    assertArrayEquals(factory.getSupportedCipherSuites(), factory.getDefaultCipherSuites());
  }

  @Test
  void modeChangesReachTheGuardOnlyWhenTheModeChanges() throws Exception {
    try (MailTlsServerSocket listener = (MailTlsServerSocket) factory().createServerSocket()) {
      listener.setUseClientMode(false);
      assertTrue(guard.calls("modeChanged").isEmpty());
      listener.setUseClientMode(true);
      Call change = single(guard.calls("modeChanged"));
      assertSame(listener.inner(), change.target());
      assertEquals(List.of(true), change.args());
      assertTrue(listener.inner().getUseClientMode());
    }
  }

  private MailTlsServerSocketFactory factory() throws Exception {
    return new MailTlsServerSocketFactory(Tls.get().server.getServerSocketFactory(), Tls.get().server.getSocketFactory(), guard);
  }
}
