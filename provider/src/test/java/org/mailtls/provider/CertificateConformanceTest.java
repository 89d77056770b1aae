package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.HostilePeers.LOCALHOST;
import static org.mailtls.provider.HostilePeers.MAIL_HOST;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.tls.FloorViolation;
import org.mailtls.provider.HostilePeers.Peer;
import org.mailtls.provider.RawHandshake.Outcome;
import org.mailtls.provider.RawHandshake.Transport;

/**
 * The server certificate checks of a MailTLS client (R8314-C-25: RFC 5280 path and RFC 7817
 * identity) against raw SunJSSE servers: a valid chain is accepted with a recorded decision; wrong,
 * partial-wildcard and CN-only names are refused by R7817-C-01 (R7817-C-10, SI-15); expired,
 * untrusted and incomplete chains by R8314-C-25; SHA-1 signatures and RSA-1024 keys by TLS-25. A
 * refused handshake yields no session at all, so nothing unvalidated can count as confidential
 * (R8314-C-08). Each refusal first runs its positive control: the same peer reached by a permissive
 * raw client.
 */
class CertificateConformanceTest {
  private static final String MATRIX = "org.mailtls.provider.RawHandshake#matrix";

  /**
   * R8314-C-01, R8314-C-25, R7817-C-01, TLS-03: root → intermediate → leaf for mail.example.net
   * (STARTTLS path over SOCKET) is accepted with TLS 1.3 and the validated DNS-ID.
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_validChain_accepted(JsseEngine engine, Transport transport) throws Exception {
    Outcome o = RawHandshake.run(transport, RawClients.mailTls(engine, MAIL_HOST), HostilePeers.valid(MAIL_HOST))
        .assertSuccess("MailTLS client against a valid chain");

    TrustDecision.Accepted d = accepted(o, "TLSv1.3");
    assertEquals("DNS-ID mail.example.net", d.validatedIdentity().orElseThrow().reference().toString());
    if (o.firstFlight() != null) { // R8314-C-01: the first bytes are the ClientHello, with SNI
      assertEquals(MAIL_HOST, o.firstFlight().serverName());
    }
  }

  /** R8314-C-25, R7817-C-01: the same over {@code createSocket("localhost", port)} with a leaf for localhost. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_validChainForLocalhost_accepted(JsseEngine engine, Transport transport) throws Exception {
    Outcome o = RawHandshake.run(transport, RawClients.mailTls(engine, LOCALHOST), HostilePeers.valid(LOCALHOST))
        .assertSuccess("MailTLS client against a valid chain for localhost");

    TrustDecision.Accepted d = accepted(o, "TLSv1.3");
    assertEquals("DNS-ID localhost", d.validatedIdentity().orElseThrow().reference().toString());
  }

  /** R7817-C-01, R8314-C-25: a leaf for other.example.net does not identify mail.example.net. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_wrongName_refused(JsseEngine engine, Transport transport) throws Exception {
    assertIdentityRefusal(refusal(engine, transport, HostilePeers.wrongName(), MAIL_HOST));
  }

  /** R7817-C-10, R7817-C-01: {@code m*.example.net} is a partial wildcard and matches nothing. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_partialWildcard_refused(JsseEngine engine, Transport transport) throws Exception {
    assertIdentityRefusal(refusal(engine, transport, HostilePeers.partialWildcard(), MAIL_HOST));
  }

  /** SI-15, R7817-C-01: CN=mail.example.net without a subjectAltName is no identity. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_cnOnlyCertificate_refused(JsseEngine engine, Transport transport) throws Exception {
    assertIdentityRefusal(refusal(engine, transport, HostilePeers.cnOnly(), MAIL_HOST));
  }

  /** R8314-C-25, R8314-C-08: a leaf whose validity ended yesterday. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_expiredLeaf_refused(JsseEngine engine, Transport transport) throws Exception {
    assertPathRefusal(refusal(engine, transport, HostilePeers.expired(LOCALHOST), LOCALHOST));
  }

  /** R8314-C-25, R8314-C-08: a leaf from another PKI whose root is not trusted. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_untrustedRoot_refused(JsseEngine engine, Transport transport) throws Exception {
    assertPathRefusal(refusal(engine, transport, HostilePeers.untrustedRoot(MAIL_HOST), MAIL_HOST));
  }

  /** R8314-C-25: the server sends its leaf without the intermediate; no path can be built. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_missingIntermediate_refused(JsseEngine engine, Transport transport) throws Exception {
    assertPathRefusal(refusal(engine, transport, HostilePeers.missingIntermediate(LOCALHOST), LOCALHOST));
  }

  /** TLS-25 (RFC 9155): a leaf signed with ecdsa-with-SHA1. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_sha1SignedLeaf_refused(JsseEngine engine, Transport transport) throws Exception {
    assertFloorRefusal(refusal(engine, transport, HostilePeers.sha1SignedLeaf(MAIL_HOST), MAIL_HOST), "SHA1");
  }

  /** TLS-25 (RFC 9325 §4.5): a 1024-bit RSA leaf, served with TLS 1.3 / ECDHE_RSA GCM. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_rsa1024Leaf_refused(JsseEngine engine, Transport transport) throws Exception {
    assertFloorRefusal(refusal(engine, transport, HostilePeers.rsa1024Leaf(LOCALHOST), LOCALHOST), "1024");
  }

  private static TrustDecision.Accepted accepted(Outcome o, String protocol) {
    assertEquals(protocol, o.clientSession().getProtocol());
    TrustDecision d = MailTls.decisionOf(o.clientSession())
        .orElseThrow(() -> new AssertionError("no MailTLS decision on the session"));
    assertTrue(d.isAccepted(), d::message);
    TrustDecision.Accepted a = (TrustDecision.Accepted) d;
    assertEquals(protocol, a.protocol());
    assertEquals(o.clientSession().getCipherSuite(), a.cipherSuite());
    return a;
  }

  /**
   * Runs the positive control, then the MailTLS client, which must fail with MailTLS's own refusal
   * inside its exception (an {@link SSLHandshakeException} over SOCKET, an {@link SSLException} over
   * ENGINE).
   */
  private static TrustDecision.Refused refusal(JsseEngine engine, Transport transport, Peer peer, String host)
      throws Exception {
    RawHandshake.run(transport, RawClients.controlFor(peer, host), peer)
        .assertSuccess("positive control against the " + peer + " peer");

    Outcome o = RawHandshake.run(transport, RawClients.mailTls(engine, host), peer);

    assertFalse(o.clientSucceeded(), () -> "MailTLS accepted the " + peer + " peer");
    TrustDecision.Refused d = MailTls.decisionOf(o.clientFailure()).orElseThrow(() -> new AssertionError(
        "no MailTLS refusal inside the client failure; server: " + o.serverFailure(), o.clientFailure()));
    assertFalse(d.isAccepted());
    Class<? extends SSLException> expected =
        transport == Transport.SOCKET ? SSLHandshakeException.class : SSLException.class;
    assertInstanceOf(expected, o.clientFailure(), () -> "client failure of the wrong type: " + o.clientFailure());
    return d;
  }

  private static void assertIdentityRefusal(TrustDecision.Refused d) {
    assertEquals("R7817-C-01", d.rule(), d::message);
    assertTrue(d.identityMismatch().isPresent(), d::message);
    String message = d.identityMismatch().get().message();
    assertTrue(message.contains("DNS-ID mail.example.net"), message);
    assertTrue(d.message().contains("DNS-ID mail.example.net"), d::message);
  }

  private static void assertPathRefusal(TrustDecision.Refused d) {
    assertEquals("R8314-C-25", d.rule(), d::message);
    assertTrue(d.identityMismatch().isEmpty(), d::message);
  }

  private static void assertFloorRefusal(TrustDecision.Refused d, String detail) {
    assertEquals("TLS-25", d.rule(), d::message);
    assertFalse(d.violations().isEmpty(), d::message);
    FloorViolation v = d.violations().get(0);
    assertEquals("TLS-25", v.rule());
    assertTrue(v.message().contains(detail), v::toString);
  }
}
