package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/**
 * Fixtures shared by the wrapper tests: {@link RecordingGuard}, a fake {@link ConnectionGuard}
 * that records every call and enforces a small policy (TLS 1.2/1.3, AEAD suites), and {@link
 * Tls}, SunJSSE client and server contexts over a {@link TestPki}. The tests in this class pin
 * down the fake's behaviour that the other wrapper tests rely on.
 */
final class RecordingGuardWrapperTest {

  @Test
  void fakeGuardRefusesWhatThePolicyDoesNotAllow() {
    RecordingGuard guard = new RecordingGuard();
    assertThrows(IllegalArgumentException.class,
        () -> guard.checkEnabledProtocols(new String[] {"TLSv1.1"}));
    assertThrows(IllegalArgumentException.class, () -> guard.checkEnabledProtocols(new String[0]));
    assertThrows(IllegalArgumentException.class,
        () -> guard.checkEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA"}));
    SSLParameters lowering = new SSLParameters();
    lowering.setProtocols(new String[] {"TLSv1.3", "TLSv1.1"});
    assertThrows(IllegalArgumentException.class, () -> guard.checkParameters(lowering));
    assertArrayEquals(new String[] {"TLSv1.3"}, guard.checkEnabledProtocols(new String[] {"TLSv1.3"}));
    assertArrayEquals(new String[] {"TLSv1.2", "TLSv1.3"},
        guard.supportedProtocols(new String[] {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}));
    assertEquals(3, guard.calls("checkEnabledProtocols").size());
  }

  /** A call the wrapper made: method name, the inner object (or session) and the other arguments. */
  record Call(String method, @Nullable Object target, List<Object> args) {}

  /**
   * A {@link ConnectionGuard} for tests: records each call, applies TLS 1.2/1.3 and the AEAD
   * suites as floors, refuses anything else with {@link IllegalArgumentException}, and fails
   * {@link #checkNegotiated} when the session breaks that policy or {@link #failNegotiated} is set
   * (and the prepare methods, after recording, when {@link #failPrepare} is set).
   * Thread-safe, since server sockets run on another thread.
   */
  static final class RecordingGuard implements ConnectionGuard {
    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    static final Set<String> SUITES = Set.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile boolean failNegotiated;
    volatile boolean failPrepare;

    List<Call> calls(String method) {
      List<Call> out = new ArrayList<>();
      for (Call call : calls) {
        if (call.method().equals(method)) {
          out.add(call);
        }
      }
      return out;
    }

    private void record(String method, @Nullable Object target, @Nullable Object... args) {
      calls.add(new Call(method, target, Arrays.asList(args)));
    }

    @Override
    public void prepareClientSocket(SSLSocket inner, @Nullable String host, int port) {
      record("prepareClientSocket", inner, host, port);
      refuseIfAsked();
      inner.setUseClientMode(true);
      inner.setSSLParameters(floors(inner.getSSLParameters(), inner.getSupportedProtocols(),
          inner.getSupportedCipherSuites()));
    }

    @Override
    public void prepareServerSocket(SSLSocket inner) {
      record("prepareServerSocket(SSLSocket)", inner);
      refuseIfAsked();
      inner.setSSLParameters(floors(inner.getSSLParameters(), inner.getSupportedProtocols(),
          inner.getSupportedCipherSuites()));
    }

    @Override
    public void prepareServerSocket(SSLServerSocket inner) {
      record("prepareServerSocket(SSLServerSocket)", inner);
      refuseIfAsked();
      inner.setSSLParameters(floors(inner.getSSLParameters(), inner.getSupportedProtocols(),
          inner.getSupportedCipherSuites()));
    }

    @Override
    public void prepareEngine(SSLEngine inner, @Nullable String host, int port) {
      record("prepareEngine", inner, host, port);
      refuseIfAsked();
      inner.setSSLParameters(floors(inner.getSSLParameters(), inner.getSupportedProtocols(),
          inner.getSupportedCipherSuites()));
    }

    /** Records the host, the port and whether the socket was already connected (it must not be). */
    @Override
    public void bindHost(Object inner, String host, int port) {
      boolean connected = inner instanceof SSLSocket && ((SSLSocket) inner).isConnected();
      record("bindHost", inner, host, port, connected);
    }

    @Override
    public void modeChanged(Object inner, boolean clientMode) {
      record("modeChanged", inner, clientMode);
    }

    @Override
    public String[] checkEnabledProtocols(String[] requested) {
      record("checkEnabledProtocols", null, (Object) requested.clone());
      return checkSubset(requested, PROTOCOLS, "protocol");
    }

    @Override
    public String[] checkEnabledCipherSuites(String[] requested) {
      record("checkEnabledCipherSuites", null, (Object) requested.clone());
      return checkSubset(requested, SUITES, "cipher suite");
    }

    @Override
    public SSLParameters checkParameters(SSLParameters requested) {
      record("checkParameters", requested);
      if (requested.getProtocols() != null) {
        checkSubset(requested.getProtocols(), PROTOCOLS, "protocol");
      }
      if (requested.getCipherSuites() != null) {
        checkSubset(requested.getCipherSuites(), SUITES, "cipher suite");
      }
      return requested;
    }

    @Override
    public void reapplyExtras(Object inner) {
      record("reapplyExtras", inner);
    }

    @Override
    public String[] supportedProtocols(String[] delegateSupported) {
      return filter(delegateSupported, PROTOCOLS);
    }

    @Override
    public String[] supportedCipherSuites(String[] delegateSupported) {
      return filter(delegateSupported, SUITES);
    }

    @Override
    public void checkNegotiated(Object inner, SSLSession session) throws SSLHandshakeException {
      record("checkNegotiated", session, session.getProtocol(), session.getCipherSuite());
      if (failNegotiated) {
        throw new SSLHandshakeException("test guard refuses " + session.getProtocol());
      }
      if (!PROTOCOLS.contains(session.getProtocol())
          || !SUITES.contains(session.getCipherSuite())) {
        throw new SSLHandshakeException("negotiated outside the test policy: "
            + session.getProtocol() + " " + session.getCipherSuite());
      }
    }

    private void refuseIfAsked() {
      if (failPrepare) {
        throw new IllegalStateException("test guard refuses to prepare");
      }
    }

    private static SSLParameters floors(SSLParameters p, String[] protocols, String[] suites) {
      p.setProtocols(filter(protocols, PROTOCOLS));
      p.setCipherSuites(filter(suites, SUITES));
      return p;
    }

    private static String[] checkSubset(String[] requested, Set<String> allowed, String what) {
      if (requested.length == 0) {
        throw new IllegalArgumentException("at least one " + what + " must be enabled");
      }
      for (String r : requested) {
        if (!allowed.contains(r)) {
          throw new IllegalArgumentException("test policy refuses " + what + " " + r);
        }
      }
      return requested.clone();
    }

    private static String[] filter(String[] available, Set<String> allowed) {
      return Arrays.stream(available).filter(allowed::contains).toArray(String[]::new);
    }
  }

  /** SunJSSE contexts: a server with a "localhost" leaf, a client trusting the test root. */
  static final class Tls {
    private static @Nullable Tls shared;

    final SSLContext server;
    final SSLContext client;

    private Tls(SSLContext server, SSLContext client) {
      this.server = server;
      this.client = client;
    }

    /** One PKI and pair of contexts for the whole test run (minting keys is the slow part). */
    static synchronized Tls get() throws Exception {
      if (shared == null) {
        TestPki pki = TestPki.create();
        HeldCertificate leaf = pki.leaf().addDnsName("localhost").build();
        char[] password = "wrapper-test".toCharArray();
        KeyStore keyStore = TestPki.keyStore(leaf, password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", "SunJSSE");
        kmf.init(keyStore, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        tmf.init(pki.trustStore());
        SSLContext server = SSLContext.getInstance("TLS", "SunJSSE");
        server.init(kmf.getKeyManagers(), null, null);
        SSLContext client = SSLContext.getInstance("TLS", "SunJSSE");
        client.init(null, tmf.getTrustManagers(), null);
        shared = new Tls(server, client);
      }
      return shared;
    }

    static InetAddress loopback() throws UnknownHostException {
      return InetAddress.getByName("127.0.0.1");
    }
  }
}
