package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.HostilePeers.MAIL_HOST;

import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailtls.provider.HostilePeers.Peer;
import org.mailtls.provider.RawHandshake.Outcome;
import org.mailtls.provider.RawHandshake.Transport;

/**
 * Downgrade attempts through the standard API on a MailTLS socket (layered over a loopback
 * connection, the STARTTLS path) and engine: lowering protocols (TLS-01, TLS-03, R8314-C-11) or
 * suites (TLS-12, TLS-13, TLS-14, TLS-18, R8314-C-12) throws {@link IllegalArgumentException}
 * naming the rule and changes nothing; re-setting the current values and raising the floor are
 * accepted, and a raised floor is enforced in the handshake; every "supported" list holds only
 * allowed values.
 */
class DowngradeConformanceTest {
  private static final String MATRIX = "org.mailtls.provider.RawHandshake#matrix";
  private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");
  private static final Set<String> ALLOWED_SUITES = Set.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final Deque<Closeable> open = new ArrayDeque<>();

  @AfterEach
  void closeAll() {
    RawHandshake.closeAll(open);
  }

  /** TLS-01, TLS-03: enabling only TLS 1.1 is refused. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_enableOnlyTls11_refusedUnchanged(JsseEngine engine, Transport transport) throws Exception {
    Knobs k = knobs(engine, transport);
    assertRefusedUnchanged(k, "TLS-01", () -> k.setProtocols(new String[] {"TLSv1.1"}));
  }

  /** TLS-01, R8314-C-11: adding TLS 1.1 below TLS 1.2 is refused too. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_enableTls12AndTls11_refusedUnchanged(JsseEngine engine, Transport transport) throws Exception {
    Knobs k = knobs(engine, transport);
    assertRefusedUnchanged(k, "TLS-01", () -> k.setProtocols(new String[] {"TLSv1.2", "TLSv1.1"}));
  }

  /** TLS-14: enabling a static-RSA suite is refused. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_enableStaticRsaSuite_refusedUnchanged(JsseEngine engine, Transport transport) throws Exception {
    Knobs k = knobs(engine, transport);
    assertRefusedUnchanged(k, "TLS-14", () -> k.setSuites(new String[] {HostilePeers.RSA_AES128_GCM_SHA256}));
  }

  /** TLS-18: {@code setSSLParameters} with CBC suites is refused. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_sslParametersWithCbcSuites_refusedUnchanged(JsseEngine engine, Transport transport)
      throws Exception {
    Knobs k = knobs(engine, transport);
    SSLParameters p = k.params();
    p.setCipherSuites(new String[] {HostilePeers.ECDHE_ECDSA_AES128_CBC_SHA256, HostilePeers.ECDHE_ECDSA_AES128_CBC_SHA});
    assertRefusedUnchanged(k, "TLS-18", () -> k.setParams(p));
  }

  /** TLS-03, R8314-C-12: re-setting the current values through every setter is accepted. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_resetCurrentValues_accepted(JsseEngine engine, Transport transport) throws Exception {
    Knobs k = knobs(engine, transport);
    String[] protocols = k.protocols();
    String[] suites = k.suites();
    k.setProtocols(protocols.clone());
    k.setSuites(suites.clone());
    k.setParams(k.params());
    assertArrayEquals(protocols, k.protocols());
    assertArrayEquals(suites, k.suites());
  }

  /**
   * TLS-03: raising the floor to TLS 1.3 only is accepted, and then a TLS 1.2-only peer is refused;
   * the controls are the same peer reached by a permissive raw client and by an unraised MailTLS
   * client, both with TLS 1.2.
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_raisedToTls13Only_tls12PeerRefused(JsseEngine engine, Transport transport) throws Exception {
    Peer peer = HostilePeers.tls12Only(MAIL_HOST);
    RawHandshake.run(transport, RawClients.controlFor(peer, MAIL_HOST), peer)
        .assertSuccess("positive control: permissive raw client against a TLS 1.2-only peer");
    Outcome control = RawHandshake.run(transport, RawClients.mailTls(engine, MAIL_HOST), peer)
        .assertSuccess("unraised MailTLS client against a TLS 1.2-only peer");
    assertEquals("TLSv1.2", control.clientSession().getProtocol());

    String[] only13 = {"TLSv1.3"};
    RawHandshake.Client raised = RawClients.mailTls(engine, MAIL_HOST).withHooks(
        e -> {
          e.setEnabledProtocols(only13);
          assertArrayEquals(only13, e.getEnabledProtocols());
        },
        s -> {
          s.setEnabledProtocols(only13);
          assertArrayEquals(only13, s.getEnabledProtocols());
        });
    Outcome o = RawHandshake.run(transport, raised, peer);

    assertFalse(o.clientSucceeded(), "a TLS 1.3-only MailTLS client reached a TLS 1.2-only peer");
    Class<? extends SSLException> expected =
        transport == Transport.SOCKET ? SSLHandshakeException.class : SSLException.class;
    assertInstanceOf(expected, o.clientFailure(), () -> "client failure: " + o.clientFailure());
    if (o.firstFlight() != null) {
      assertEquals(List.of(0x0304), o.firstFlight().supportedVersions());
    }
  }

  /** TLS-01, TLS-03, TLS-12..TLS-18, R8314-C-12: supported and default lists hold only allowed values. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_supportedValues_onlyAllowed(JsseEngine engine, Transport transport) throws Exception {
    SSLContext ctx = TestServers.mailTlsClient(new MailTlsProvider(engine), HostilePeers.PKI);
    Knobs k = knobs(ctx, transport);
    assertOnlyAllowed("supported protocols", k.supportedProtocols(), ALLOWED_PROTOCOLS);
    assertOnlyAllowed("supported suites", k.supportedSuites(), ALLOWED_SUITES);
    assertOnlyAllowed("enabled protocols", k.protocols(), ALLOWED_PROTOCOLS);
    assertOnlyAllowed("enabled suites", k.suites(), ALLOWED_SUITES);
    assertOnlyAllowed("factory supported suites", ctx.getSocketFactory().getSupportedCipherSuites(), ALLOWED_SUITES);
    assertOnlyAllowed("factory default suites", ctx.getSocketFactory().getDefaultCipherSuites(), ALLOWED_SUITES);
    SSLParameters supported = ctx.getSupportedSSLParameters();
    assertOnlyAllowed("context supported protocols", supported.getProtocols(), ALLOWED_PROTOCOLS);
    assertOnlyAllowed("context supported suites", supported.getCipherSuites(), ALLOWED_SUITES);
    SSLParameters defaults = ctx.getDefaultSSLParameters();
    assertOnlyAllowed("context default protocols", defaults.getProtocols(), ALLOWED_PROTOCOLS);
    assertOnlyAllowed("context default suites", defaults.getCipherSuites(), ALLOWED_SUITES);
    assertTrue(Arrays.asList(supported.getProtocols()).containsAll(ALLOWED_PROTOCOLS), "TLS 1.3 and 1.2 supported");
  }

  private static void assertRefusedUnchanged(Knobs k, String rule, Executable lowering) {
    String[] protocols = k.protocols();
    String[] suites = k.suites();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, lowering);
    assertTrue(String.valueOf(e.getMessage()).contains(rule), () -> "message does not name " + rule + ": " + e.getMessage());
    assertArrayEquals(protocols, k.protocols(), "enabled protocols changed");
    assertArrayEquals(suites, k.suites(), "enabled suites changed");
  }

  private static void assertOnlyAllowed(String what, String[] values, Set<String> allowed) {
    assertTrue(values.length > 0, what + " is empty");
    for (String v : values) {
      assertTrue(allowed.contains(v), () -> what + " contains " + v + ": " + Arrays.toString(values));
    }
  }

  private Knobs knobs(JsseEngine engine, Transport transport) throws Exception {
    return knobs(TestServers.mailTlsClient(new MailTlsProvider(engine), HostilePeers.PKI), transport);
  }

  /** ENGINE: {@code createSSLEngine(host, 993)}; SOCKET: layered over a loopback TCP connection (STARTTLS). */
  private Knobs knobs(SSLContext ctx, Transport transport) throws Exception {
    if (transport == Transport.ENGINE) {
      SSLEngine e = ctx.createSSLEngine(MAIL_HOST, RawHandshake.ENGINE_PORT);
      e.setUseClientMode(true);
      return Knobs.of(e);
    }
    return Knobs.of(RawHandshake.layeredOverLoopback(ctx, MAIL_HOST, open));
  }

  /** The policy-bearing setters and getters that SSLSocket and SSLEngine share without a common type. */
  private interface Knobs {
    String[] protocols();

    String[] suites();

    SSLParameters params();

    void setProtocols(String[] p);

    void setSuites(String[] s);

    void setParams(SSLParameters p);

    String[] supportedProtocols();

    String[] supportedSuites();

    static Knobs of(SSLSocket s) {
      return new Knobs() {
        public String[] protocols() { return s.getEnabledProtocols(); }
        public String[] suites() { return s.getEnabledCipherSuites(); }
        public SSLParameters params() { return s.getSSLParameters(); }
        public void setProtocols(String[] p) { s.setEnabledProtocols(p); }
        public void setSuites(String[] x) { s.setEnabledCipherSuites(x); }
        public void setParams(SSLParameters p) { s.setSSLParameters(p); }
        public String[] supportedProtocols() { return s.getSupportedProtocols(); }
        public String[] supportedSuites() { return s.getSupportedCipherSuites(); }
      };
    }

    static Knobs of(SSLEngine e) {
      return new Knobs() {
        public String[] protocols() { return e.getEnabledProtocols(); }
        public String[] suites() { return e.getEnabledCipherSuites(); }
        public SSLParameters params() { return e.getSSLParameters(); }
        public void setProtocols(String[] p) { e.setEnabledProtocols(p); }
        public void setSuites(String[] x) { e.setEnabledCipherSuites(x); }
        public void setParams(SSLParameters p) { e.setSSLParameters(p); }
        public String[] supportedProtocols() { return e.getSupportedProtocols(); }
        public String[] supportedSuites() { return e.getSupportedCipherSuites(); }
      };
    }
  }
}
