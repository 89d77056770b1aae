package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.TrustDecision;
import org.mailtls.testing.HandshakeResult;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.SslEnginePair;
import org.mailtls.testing.TestPki;

/** MailTLS client engines over each underlying engine against a raw SunJSSE server, in memory. */
class SSLEngineConformanceTest {
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate GOOD = PKI.leaf().addDnsName("mail.example.net").build();

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void handshake_validChain_acceptedWithDecision(JsseEngine engine) throws Exception {
    SSLContext client = TestServers.mailTlsClient(new MailTlsProvider(engine), PKI);
    SSLEngine c = client.createSSLEngine("mail.example.net", 993);
    c.setUseClientMode(true);
    SslEnginePair pair = SslEnginePair.of(c, TestServers.rawServerEngine(TestServers.rawServer(GOOD), null, null));

    HandshakeResult r = pair.handshake();

    r.assertSuccess();
    assertEquals("TLSv1.3", pair.clientSession().getProtocol());
    TrustDecision d = MailTls.decisionOf(pair.clientSession()).orElseThrow();
    assertTrue(d.isAccepted(), d.message());
    assertEquals("DNS-ID mail.example.net", ((TrustDecision.Accepted) d).validatedIdentity().orElseThrow().reference().toString());
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void handshake_wrongName_refusedWithIdentityDecision(JsseEngine engine) throws Exception {
    SSLContext client = TestServers.mailTlsClient(new MailTlsProvider(engine), PKI);
    SSLEngine c = client.createSSLEngine("imap.example.org", 993);
    c.setUseClientMode(true);
    SslEnginePair pair = SslEnginePair.of(c, TestServers.rawServerEngine(TestServers.rawServer(GOOD), null, null));

    HandshakeResult r = pair.handshake();

    assertFalse(r.success());
    TrustDecision.Refused d = MailTls.decisionOf(r.clientFailure()).orElseThrow(() -> new AssertionError(r.clientFailure()));
    assertEquals("R7817-C-01", d.rule());
    assertTrue(d.identityMismatch().isPresent());
    assertTrue(d.message().contains("DNS-ID imap.example.org"), d.message());
  }
}
