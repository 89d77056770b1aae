package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.HostilePeers.LOCALHOST;
import static org.mailtls.provider.HostilePeers.MAIL_HOST;

import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.HostilePeers.Peer;
import org.mailtls.provider.RawHandshake.Outcome;
import org.mailtls.provider.RawHandshake.Transport;
import org.mailtls.testing.ClientHello;

/**
 * Protocol-version and cipher-suite floors of a MailTLS client against raw SunJSSE peers that speak
 * only what MailTLS must refuse: TLS 1.1 and 1.0 (TLS-01, TLS-03, R8314-C-11), CBC (TLS-18) and
 * static RSA (TLS-14), plus the TLS 1.2-only peer MailTLS must still reach with ECDHE + AEAD
 * (TLS-03, R8314-C-12). Each refusal asserts the MailTLS rule, not just an exception: over ENGINE
 * the client's first flight is parsed and must offer nothing but the policy's versions and suites;
 * over SOCKET the handshake must fail with {@link SSLHandshakeException}. Each refusal case first
 * runs its positive control: the same peer reached by a permissive raw client.
 */
class ProtocolFloorConformanceTest {
  private static final String MATRIX = "org.mailtls.provider.RawHandshake#matrix";

  /** Suites MailTLS must never offer, by code point: a sample of every refused family. */
  private static final Map<Integer, String> REFUSED = Map.ofEntries(
      Map.entry(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: CBC (TLS-18)"),
      Map.entry(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: CBC (TLS-18)"),
      Map.entry(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: CBC (TLS-18)"),
      Map.entry(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256: static RSA (TLS-14)"),
      Map.entry(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA: static RSA (TLS-14)"),
      Map.entry(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA: finite-field DHE (TLS-14)"),
      Map.entry(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: finite-field DHE (TLS-14)"),
      Map.entry(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA: 3DES (TLS-13)"),
      Map.entry(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA: 3DES (TLS-13)"),
      Map.entry(0x0005, "TLS_RSA_WITH_RC4_128_SHA: RC4 (TLS-12)"),
      Map.entry(0x0002, "TLS_RSA_WITH_NULL_SHA: NULL (TLS-12)"),
      Map.entry(0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA: NULL (TLS-12)"));

  /** The policy's suites (TLS 1.3 AEAD, TLS 1.2 ECDHE + GCM / ChaCha20-Poly1305), R8314-C-12. */
  private static final Set<Integer> POLICY_SUITES =
      Set.of(0x1301, 0x1302, 0x1303, 0xC02F, 0xC02B, 0xC030, 0xC02C, 0xCCA9, 0xCCA8);
  /** TLS_EMPTY_RENEGOTIATION_INFO_SCSV: the only signalling value tolerated in the offer. */
  private static final int RENEGOTIATION_SCSV = 0x00FF;
  private static final Set<Integer> POLICY_VERSIONS = Set.of(0x0304, 0x0303);

  /** TLS-03, R8314-C-11, R8314-C-12: a TLS 1.2-only peer negotiates TLS 1.2 with an ECDHE + GCM suite. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_tls12OnlyPeer_acceptedWithEcdheGcm(JsseEngine engine, Transport transport) throws Exception {
    Outcome o = RawHandshake.run(transport, RawClients.mailTls(engine, LOCALHOST), HostilePeers.tls12Only(LOCALHOST))
        .assertSuccess("MailTLS client against a TLS 1.2-only peer");

    assertEquals("TLSv1.2", o.clientSession().getProtocol());
    String suite = o.clientSession().getCipherSuite();
    assertTrue(suite.startsWith("TLS_ECDHE_") && suite.contains("_GCM_"), suite);
    TrustDecision d = MailTls.decisionOf(o.clientSession()).orElseThrow(() -> new AssertionError("no decision"));
    assertTrue(d.isAccepted(), d.message());
    assertEquals("TLSv1.2", ((TrustDecision.Accepted) d).protocol());
    assertEquals(suite, ((TrustDecision.Accepted) d).cipherSuite());
    if (o.firstFlight() != null) {
      assertOfferObeysThePolicy(o.firstFlight());
    }
  }

  /** TLS-01, TLS-03, R8314-C-11: a TLS 1.1-only peer is refused; MailTLS never offers TLS 1.1. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_tls11OnlyPeer_refused(JsseEngine engine, Transport transport) throws Exception {
    assertRefusedByFloor(engine, transport, HostilePeers.tls11Only(MAIL_HOST), MAIL_HOST,
        "TLSv1.1", HostilePeers.ECDHE_ECDSA_AES128_CBC_SHA);
  }

  /** TLS-01, TLS-03, R8314-C-11: a TLS 1.0-only peer is refused; MailTLS never offers TLS 1.0. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_tls10OnlyPeer_refused(JsseEngine engine, Transport transport) throws Exception {
    assertRefusedByFloor(engine, transport, HostilePeers.tls10Only(LOCALHOST), LOCALHOST,
        "TLSv1", HostilePeers.ECDHE_ECDSA_AES128_CBC_SHA);
  }

  /** TLS-18, R8314-C-12: a TLS 1.2 peer that speaks only CBC suites is refused; none is offered. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_cbcOnlyPeer_refused(JsseEngine engine, Transport transport) throws Exception {
    assertRefusedByFloor(engine, transport, HostilePeers.cbcOnly(MAIL_HOST), MAIL_HOST,
        "TLSv1.2", HostilePeers.ECDHE_ECDSA_AES128_CBC_SHA256);
  }

  /** TLS-14, R8314-C-12: a TLS 1.2 peer that speaks only static RSA key transport is refused. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_staticRsaOnlyPeer_refused(JsseEngine engine, Transport transport) throws Exception {
    assertRefusedByFloor(engine, transport, HostilePeers.staticRsaOnly(), LOCALHOST,
        "TLSv1.2", HostilePeers.RSA_AES128_GCM_SHA256);
  }

  /**
   * Runs the positive control (a permissive raw client reaches {@code peer} with exactly {@code
   * protocol} and {@code suite}), then the MailTLS client, which must fail; over ENGINE its offer
   * must obey the policy.
   */
  private static void assertRefusedByFloor(JsseEngine engine, Transport transport, Peer peer, String host,
      String protocol, String suite) throws Exception {
    Outcome control = RawHandshake.run(transport, RawClients.controlFor(peer, host), peer)
        .assertSuccess("positive control against the " + peer + " peer");
    assertEquals(protocol, control.clientSession().getProtocol(), "control protocol");
    assertEquals(suite, control.clientSession().getCipherSuite(), "control suite");

    Outcome o = RawHandshake.run(transport, RawClients.mailTls(engine, host), peer);

    assertFalse(o.clientSucceeded(), () -> "MailTLS reached the " + peer + " peer with "
        + o.clientSession().getProtocol() + " " + o.clientSession().getCipherSuite());
    if (transport == Transport.SOCKET) {
      assertInstanceOf(SSLHandshakeException.class, o.clientFailure(), () -> describe(o));
    } else {
      assertInstanceOf(SSLException.class, o.clientFailure(), () -> describe(o));
      assertOfferObeysThePolicy(o.firstFlight());
    }
  }

  /**
   * TLS-01: legacy_version {3,3} and supported_versions only TLS 1.3 / 1.2 (TLS-03: 1.3 offered);
   * TLS-12, TLS-13, TLS-14, TLS-18: no refused suite, only the policy's (plus the renegotiation SCSV).
   */
  static void assertOfferObeysThePolicy(ClientHello hello) {
    assertNotNull(hello, "no ClientHello was captured");
    assertEquals(0x0303, hello.legacyVersion(), "legacy_version must be {3,3} (TLS-01)");
    assertTrue(POLICY_VERSIONS.containsAll(hello.supportedVersions()),
        () -> "supported_versions " + hex(hello.supportedVersions()) + " (TLS-01)");
    assertTrue(hello.supportedVersions().contains(0x0304), "TLS 1.3 not offered (TLS-03)");
    assertFalse(hello.cipherSuites().isEmpty(), "no suite offered");
    for (int s : hello.cipherSuites()) {
      assertFalse(REFUSED.containsKey(s), () -> "offered " + REFUSED.get(s));
      assertTrue(POLICY_SUITES.contains(s) || s == RENEGOTIATION_SCSV,
          () -> "offered suite " + hex(s) + " is not one of the policy's (R8314-C-12)");
    }
  }

  private static String describe(Outcome o) {
    return "client: " + o.clientFailure() + "; server: " + o.serverFailure();
  }

  static String hex(int codePoint) {
    return String.format("0x%04X", codePoint);
  }

  private static String hex(java.util.List<Integer> codePoints) {
    return codePoints.stream().map(ProtocolFloorConformanceTest::hex).toList().toString();
  }
}
