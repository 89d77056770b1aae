package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ClientCertificateScope;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.pin.InMemoryPinStore;
import org.mailtls.policy.server.Rfc822NameMapping;
import org.mailtls.provider.AccountFixtures.Connection;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/**
 * The README's server example end to end: a MailTLS server for two mail domains (SNI) that logs
 * users in by client certificate, mapped to a SASL EXTERNAL identity (RFC 8314 §4.2, R8314-S-16,
 * R8314-S-19, R8314-C-35), against MailTLS clients with account-bound certificates.
 */
class ServerClientCertificateConformanceTest {
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate NET = PKI.leaf().addDnsName("mail.example.net").build();
  private static final HeldCertificate ORG = PKI.leaf().addDnsName("mail.example.org").build();
  private static final HeldCertificate ALICE = PKI.leaf().subjectCommonName("alice").addRfc822Name("alice@example.net").build();
  private static final HeldCertificate MALLORY = PKI.leaf().subjectCommonName("mallory").addRfc822Name("mallory@evil.example").build();

  /** The README's server: two domains by SNI, client certificates mapped by rfc822Name for example.net. */
  static SSLContext server(JsseEngine engine, boolean withMapping) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("net", NET.privateKey(), TestServers.PASSWORD, NET.chain().toArray(Certificate[]::new));
    ks.setKeyEntry("org", ORG.privateKey(), TestServers.PASSWORD, ORG.chain().toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", p);
    kmf.init(MailTlsServerParameters.builder(ks, TestServers.PASSWORD)
        .serverName("mail.example.net", "net").serverName("mail.example.org", "org").defaultAlias("net").build());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", p);
    MailTlsParameters.Builder trust = MailTlsParameters.builder().trustStore(PKI.trustStore());
    if (withMapping) {
      trust.clientCertificateMapping(Rfc822NameMapping.builder().allowDomain("example.net").build());
    }
    tmf.init(trust.build());
    SSLContext ctx = SSLContext.getInstance("MailTLS", p);
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private static SSLEngine serverEngine(SSLContext server) {
    SSLEngine e = server.createSSLEngine();
    e.setUseClientMode(false);
    return e;
  }

  private static SSLContext client(JsseEngine engine, HeldCertificate cert) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("me", cert.privateKey(), TestServers.PASSWORD, cert.chain().toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", p);
    kmf.init(ks, TestServers.PASSWORD);
    AccountPolicy account = AccountFixtures.account("user").clientCertificate(ClientCertificateScope.forAlias("me")).build();
    return AccountFixtures.client(engine, PKI, account, new InMemoryPinStore(), kmf.getKeyManagers());
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void mappedClientCertificate_saslExternalIdentity(JsseEngine engine) throws Exception {
    Connection c = AccountFixtures.connect(client(engine, ALICE), AccountFixtures.IMAPS, serverEngine(server(engine, true)));

    c.result().assertSuccess();
    TrustDecision.Accepted d = (TrustDecision.Accepted) MailTls.decisionOf(c.pair().serverSession()).orElseThrow();
    assertEquals("alice@example.net", d.saslExternalIdentity().orElseThrow());
    assertEquals(NET.certificate(), c.pair().clientSession().getPeerCertificates()[0], "SNI mail.example.net");
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void unmappedClientCertificate_refusedByServer(JsseEngine engine) throws Exception {
    Connection c = AccountFixtures.connect(client(engine, MALLORY), AccountFixtures.IMAPS, serverEngine(server(engine, true)));

    assertFalse(c.result().success());
    TrustDecision.Refused d = MailTls.decisionOf(c.result().serverFailure()).orElseThrow(
        () -> new AssertionError(c.result().serverFailure()));
    assertEquals("R8314-S-16", d.rule());
    assertTrue(d.message().contains("mallory@evil.example"), d.message());
  }

  /** R8314-S-16: without a mapping the server never asks, so the client's bound certificate is not sent. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void noMapping_noCertificateRequested(JsseEngine engine) throws Exception {
    SSLContext server = server(engine, false);
    Connection c = AccountFixtures.connect(client(engine, ALICE), AccountFixtures.IMAPS, serverEngine(server));

    c.result().assertSuccess();
    assertThrows(SSLPeerUnverifiedException.class, () -> c.pair().serverSession().getPeerCertificates());
    SSLEngine e = serverEngine(server);
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> e.setNeedClientAuth(true));
    assertTrue(refused.getMessage().contains("R8314-S-16"), refused.getMessage());
  }
}
