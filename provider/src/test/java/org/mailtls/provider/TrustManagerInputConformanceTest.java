package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.HostilePeers.MAIL_HOST;
import static org.mailtls.provider.HostilePeers.PKI;

import java.io.Closeable;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.stream.IntStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.RawHandshake.Transport;
import org.mailtls.testing.TestPki;

/**
 * Hostile input straight into the trust manager of {@code TrustManagerFactory.getInstance("MailTLS")}
 * (R8314-C-25, R7817-C-01: every path that could skip the check fails closed), and foreign managers
 * handed to {@code SSLContext.init}. The connection argument is, per transport, an engine from {@code
 * createSSLEngine("mail.example.net", 993)} or a socket layered over a loopback connection; neither
 * is in a handshake.
 */
class TrustManagerInputConformanceTest {
  private static final String MATRIX = "org.mailtls.provider.RawHandshake#matrix";
  private static final String AUTH = "ECDHE_ECDSA";
  private static final X509Certificate[] VALID =
      HostilePeers.leafFor(MAIL_HOST).chain().subList(0, 2).toArray(X509Certificate[]::new);
  private static final X509Certificate[] FIFTY = IntStream.range(0, 50)
      .mapToObj(i -> PKI.leaf().addDnsName("host" + i + ".example.net").build().certificate())
      .toArray(X509Certificate[]::new);

  private final Deque<Closeable> open = new ArrayDeque<>();
  private X509ExtendedTrustManager tm;
  private SSLContext ctx;

  @AfterEach
  void closeAll() {
    RawHandshake.closeAll(open);
  }

  /** The X509TrustManager contract: a null chain is an IllegalArgumentException, on every overload. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_nullChain_illegalArgument(JsseEngine engine, Transport transport) throws Exception {
    Object conn = setUp(engine, transport);
    assertThrows(IllegalArgumentException.class, () -> checkServer(conn, null, AUTH));
    assertThrows(IllegalArgumentException.class, () -> tm.checkServerTrusted(null, AUTH));
    assertThrows(IllegalArgumentException.class, () -> tm.checkClientTrusted(null, AUTH));
  }

  /** The X509TrustManager contract: an empty chain is an IllegalArgumentException. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_emptyChain_illegalArgument(JsseEngine engine, Transport transport) throws Exception {
    Object conn = setUp(engine, transport);
    assertThrows(IllegalArgumentException.class, () -> checkServer(conn, new X509Certificate[0], AUTH));
    assertThrows(IllegalArgumentException.class, () -> tm.checkServerTrusted(new X509Certificate[0], AUTH));
  }

  /** R8314-C-25: 50 certificates are refused (no handshake session, or too long: both fail closed). */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_fiftyCertificateChain_refused(JsseEngine engine, Transport transport) throws Exception {
    Object conn = setUp(engine, transport);
    TrustDecision.Refused d = refused(() -> checkServer(conn, FIFTY, AUTH));
    assertTrue(Set.of("R7817-C-01", "R8314-C-25").contains(d.rule()), d::message);
  }

  /** R7817-C-01: a garbage authType never yields success, with or without a connection. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_garbageAuthType_refused(JsseEngine engine, Transport transport) throws Exception {
    Object conn = setUp(engine, transport);
    refused(() -> tm.checkServerTrusted(VALID, "\u0000garbage"));
    refused(() -> checkServer(conn, VALID, "\u0000garbage"));
  }

  /**
   * R7817-C-01: without a socket or engine there is no reference identity, so the two-argument
   * method refuses even a valid chain; so does the three-argument one outside a handshake.
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_validChainWithoutHandshake_refused(JsseEngine engine, Transport transport) throws Exception {
    Object conn = setUp(engine, transport);
    assertEquals("R7817-C-01", refused(() -> tm.checkServerTrusted(VALID, AUTH)).rule());
    refused(() -> checkServer(conn, VALID, AUTH));
  }

  /**
   * R7817-C-01: an endpoint with no peer gives even a valid chain nothing to match: an unconnected
   * {@code createSocket()} (both transports) and, over ENGINE, a {@code createSSLEngine()} without host.
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_unconnectedEndpoint_refused(JsseEngine engine, Transport transport) throws Exception {
    setUp(engine, transport);
    Socket unconnected = ctx.getSocketFactory().createSocket();
    open.push(unconnected);
    refused(() -> tm.checkServerTrusted(VALID, AUTH, unconnected));
    if (transport == Transport.ENGINE) {
      SSLEngine hostless = ctx.createSSLEngine();
      hostless.setUseClientMode(true);
      refused(() -> tm.checkServerTrusted(VALID, AUTH, hostless));
    }
  }

  /**
   * R8314-C-25: SunJSSE's PKIX trust managers would switch MailTLS's checks off, so {@code init}
   * refuses them (and foreign key managers) with a KeyManagementException, and the context stays
   * unusable over the transport.
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_foreignTrustManager_keyManagementException(JsseEngine engine, Transport transport)
      throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    TrustManagerFactory pkix = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
    pkix.init(PKI.trustStore());
    SSLContext foreign = SSLContext.getInstance("MailTLS", p);
    KeyManagementException e =
        assertThrows(KeyManagementException.class, () -> foreign.init(null, pkix.getTrustManagers(), null));
    assertTrue(e.getMessage().contains("refuses the foreign trust manager"), e::getMessage);
    if (transport == Transport.SOCKET) {
      assertThrows(IllegalStateException.class, foreign::getSocketFactory);
    } else {
      assertThrows(IllegalStateException.class, () -> foreign.createSSLEngine(MAIL_HOST, RawHandshake.ENGINE_PORT));
    }

    KeyManagerFactory sunX509 = KeyManagerFactory.getInstance("SunX509");
    sunX509.init(TestPki.keyStore(HostilePeers.leafFor(MAIL_HOST), TestServers.PASSWORD), TestServers.PASSWORD);
    TrustManagerFactory mailTls = TrustManagerFactory.getInstance("MailTLS", p);
    mailTls.init(PKI.trustStore());
    KeyManagementException k = assertThrows(KeyManagementException.class,
        () -> SSLContext.getInstance("MailTLS", p).init(sunX509.getKeyManagers(), mailTls.getTrustManagers(), null));
    assertTrue(k.getMessage().contains("refuses the foreign key manager"), k::getMessage);
  }

  /** Fails unless {@code check} throws a CertificateException that carries MailTLS's refusal. */
  private static TrustDecision.Refused refused(Executable check) {
    CertificateException e = assertThrows(CertificateException.class, check);
    return MailTls.decisionOf(e).orElseThrow(() -> new AssertionError("not a MailTLS refusal: " + e, e));
  }

  private void checkServer(Object conn, X509Certificate[] chain, String authType) throws CertificateException {
    if (conn instanceof SSLEngine) {
      tm.checkServerTrusted(chain, authType, (SSLEngine) conn);
    } else {
      tm.checkServerTrusted(chain, authType, (Socket) conn);
    }
  }

  /** The trust manager, a context initialised with it, and the transport's connection object. */
  private Object setUp(JsseEngine engine, Transport transport) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", p);
    KeyStore trust = PKI.trustStore();
    tmf.init(trust);
    TrustManager[] managers = tmf.getTrustManagers();
    tm = (X509ExtendedTrustManager) managers[0];
    ctx = SSLContext.getInstance("MailTLS", p);
    ctx.init(null, managers, null);
    if (transport == Transport.ENGINE) {
      SSLEngine e = ctx.createSSLEngine(MAIL_HOST, RawHandshake.ENGINE_PORT);
      e.setUseClientMode(true);
      return e;
    }
    return RawHandshake.layeredOverLoopback(ctx, MAIL_HOST, open);
  }
}
