package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.SniFixtures.NET;
import static org.mailtls.provider.SniFixtures.NET_CERT;
import static org.mailtls.provider.SniFixtures.ORG;
import static org.mailtls.provider.SniFixtures.ORG_CERT;

import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.RawHandshake.Outcome;
import org.mailtls.provider.RawHandshake.Transport;
import org.mailtls.testing.HeldCertificate;

/**
 * R8314-S-19, R7817-MSP-05 option 3, TLS-08: a MailTLS server hosting two mail domains chooses the
 * certificate by the name the client sends with SNI, over both engines and both transports (in-memory
 * engines and loopback sockets), TLS 1.3 and TLS 1.2. The client is a raw SunJSSE client that sends
 * exactly the SNI under test and validates the chain to the test PKI; the served certificate is read
 * from the client's session.
 */
class SniCertificateSelectionTest {
  private static final String MATRIX = "org.mailtls.provider.RawHandshake#matrix";
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private static List<SNIServerName> sni(String name) {
    return List.of(new SNIHostName(name));
  }

  private static Outcome connect(Transport transport, List<SNIServerName> sni, String protocol,
      RawHandshake.Server server) throws Exception {
    return RawHandshake.run(transport, SniFixtures.rawClient(sni, protocol), server);
  }

  private static void assertServed(HeldCertificate expected, Outcome o, String what) throws Exception {
    o.assertSuccess(what);
    Certificate[] peer = o.clientSession().getPeerCertificates();
    assertEquals(expected.certificate(), peer[0], () -> what + ": served " + peer[0]);
  }

  private static String served(Outcome o) {
    try {
      return String.valueOf(o.clientSession().getPeerPrincipal());
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return "(unverified)";
    }
  }

  /** Each mapped name gets its own certificate, EC for one and RSA for the other, in TLS 1.3 and 1.2. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_mappedSni_servesThatDomainsCertificate(JsseEngine engine, Transport transport) throws Exception {
    RawHandshake.Server server = SniFixtures.server(engine, SniFixtures.twoDomains().build()).handshakeServer(false);

    for (String protocol : PROTOCOLS) {
      Outcome org = connect(transport, sni(ORG), protocol, server);
      assertServed(ORG_CERT, org, "SNI " + ORG + " over " + protocol);
      assertEquals(protocol, org.clientSession().getProtocol());
      assertServed(NET_CERT, connect(transport, sni(NET), protocol, server), "SNI " + NET + " over " + protocol);
    }
  }

  /** SNI names are compared ASCII case-insensitively (RFC 4343); the matcher agrees. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_upperCaseSni_matched(JsseEngine engine, Transport transport) throws Exception {
    SniFixtures.Server s = SniFixtures.server(engine, SniFixtures.twoDomains().build());

    assertServed(ORG_CERT, connect(transport, sni("MAIL.Example.ORG"), "TLSv1.3", s.handshakeServer(false)),
        "upper-case SNI");
    assertServed(ORG_CERT, connect(transport, sni("MAIL.Example.ORG"), "TLSv1.3", s.handshakeServer(true)),
        "upper-case SNI with the matcher installed");
  }

  /** A client without SNI gets the default certificate (here "org", not the first mapping). */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_noSni_servesDefault(JsseEngine engine, Transport transport) throws Exception {
    SniFixtures.Server s = SniFixtures.server(engine, SniFixtures.twoDomains().defaultAlias("org").build());

    for (String protocol : PROTOCOLS) {
      assertServed(ORG_CERT, connect(transport, List.of(), protocol, s.handshakeServer(false)), "no SNI, " + protocol);
      assertServed(ORG_CERT, connect(transport, List.of(), protocol, s.handshakeServer(true)),
          "no SNI with the matcher installed, " + protocol);
    }
  }

  /**
   * TLS-08 (RFC 9325 §3.7): with strict SNI and the matcher from {@link ServerNames#matcher} on the
   * server engine or socket, an unknown name is refused with the unrecognized_name alert; a known name
   * still succeeds (positive control).
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_unknownSniStrictWithMatcher_unrecognizedNameAlert(JsseEngine engine, Transport transport)
      throws Exception {
    SniFixtures.Server s = SniFixtures.server(engine, SniFixtures.twoDomains().build());
    assertTrue(s.keyManager().strictSni());
    assertEquals(java.util.Set.of(NET, ORG), s.keyManager().sniNames());
    assertServed(NET_CERT, connect(transport, sni(NET), "TLSv1.3", s.handshakeServer(true)), "control: known name");

    for (String protocol : PROTOCOLS) {
      Outcome o = connect(transport, sni("imap.example.com"), protocol, s.handshakeServer(true));

      assertFalse(o.clientSucceeded(), () -> "served " + served(o));
      assertTrue(String.valueOf(o.clientFailure().getMessage()).contains("unrecognized_name"),
          () -> protocol + " client: " + o.clientFailure() + "; server: " + o.serverFailure());
      assertNotNull(o.serverFailure(), "the server failed the handshake itself");
      // SunJSSE's server reports "Unrecognized server name indication", BCJSSE's "unrecognized_name(112)"
      assertTrue(o.serverFailure().toString().toLowerCase(java.util.Locale.ROOT).contains("unrecognized"),
          () -> "server: " + o.serverFailure());
    }
  }

  /**
   * TLS-08: a strict MailTLS server context installs the SNI matcher itself, so an unknown name gets
   * {@code unrecognized_name}, never the default certificate. (Behind the matcher, the key manager
   * also serves nothing for an unmapped name: defence in depth.)
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_unknownSniStrict_unrecognizedNameNotDefault(JsseEngine engine, Transport transport)
      throws Exception {
    RawHandshake.Server server = SniFixtures.server(engine, SniFixtures.twoDomains().build()).handshakeServer(false);

    for (String protocol : PROTOCOLS) {
      Outcome o = connect(transport, sni("imap.example.com"), protocol, server);

      assertFalse(o.clientSucceeded(), () -> "served " + served(o));
      assertTrue(String.valueOf(o.clientFailure().getMessage()).contains("unrecognized_name"),
          () -> protocol + " client: " + o.clientFailure() + "; server: " + o.serverFailure());
      assertNotNull(o.serverFailure(), "the server failed the handshake itself");
    }
  }

  /** With strictSni(false), an unknown name gets the default certificate. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_unknownSniLenient_servesDefault(JsseEngine engine, Transport transport) throws Exception {
    RawHandshake.Server server = SniFixtures.server(engine, SniFixtures.twoDomains().strictSni(false).build())
        .handshakeServer(false);

    for (String protocol : PROTOCOLS) {
      assertServed(NET_CERT, connect(transport, sni("imap.example.com"), protocol, server), "unknown SNI, " + protocol);
    }
  }

  /**
   * A MailTLS client (SNI from the host it connects to, RFC 7817 identity check) reaches both domains
   * of the MailTLS server, and its decision names the matching DNS-ID.
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_mailTlsClient_verifiesEachDomain(JsseEngine engine, Transport transport) throws Exception {
    RawHandshake.Server server = SniFixtures.server(engine, SniFixtures.twoDomains().build()).handshakeServer(true);

    for (String host : new String[] {NET, ORG}) {
      Outcome o = RawHandshake.run(transport, RawClients.mailTls(engine, host), server)
          .assertSuccess("MailTLS client to " + host);
      TrustDecision d = MailTls.decisionOf(o.clientSession()).orElseThrow(() -> new AssertionError("no decision"));
      assertTrue(d.isAccepted(), d::message);
      assertTrue(d.message().contains(host), d::message);
      assertEquals((host.equals(NET) ? NET_CERT : ORG_CERT).certificate(), o.clientSession().getPeerCertificates()[0]);
    }
  }
}
