package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ClientCertificateScope;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.pin.InMemoryPinStore;
import org.mailtls.provider.AccountFixtures.Connection;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/**
 * Client certificates are offered only to the account they are bound to (RFC 8314 §5.5,
 * R8314-C-33, C-34), sessions never resume across accounts, and TLS 1.2 exposure is logged or
 * forbidden (R8314-C-36). Raw servers of the same engine kind ask for a client certificate.
 */
class ClientCertificateConformanceTest {
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate SERVER = PKI.leaf().addDnsName("mail.example.net").build();
  private static final HeldCertificate ALICE = PKI.leaf().subjectCommonName("alice").addRfc822Name("alice@example.net").build();
  private static final HeldCertificate BOB = PKI.leaf().subjectCommonName("bob").addRfc822Name("bob@example.net").build();

  /** One key store holding both users' certificates, as a shared client key store would. */
  private static KeyManager[] sharedClientKeys(MailTlsProvider p) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("alice", ALICE.privateKey(), TestServers.PASSWORD, ALICE.chain().toArray(Certificate[]::new));
    ks.setKeyEntry("bob", BOB.privateKey(), TestServers.PASSWORD, BOB.chain().toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", p);
    kmf.init(ks, TestServers.PASSWORD);
    return kmf.getKeyManagers();
  }

  /** A raw server of the same engine kind that asks for (but does not require) a client certificate. */
  private static SSLContext rawServer(JsseEngine engine) throws Exception {
    BouncyCastleJsseProvider bc = new BouncyCastleJsseProvider(new BouncyCastleProvider());
    KeyManagerFactory kmf = engine == JsseEngine.BCJSSE
        ? KeyManagerFactory.getInstance("PKIX", bc) : KeyManagerFactory.getInstance("SunX509");
    kmf.init(TestPki.keyStore(SERVER, TestServers.PASSWORD), TestServers.PASSWORD);
    TrustManagerFactory tmf = engine == JsseEngine.BCJSSE
        ? TrustManagerFactory.getInstance("PKIX", bc) : TrustManagerFactory.getInstance("PKIX");
    tmf.init(PKI.trustStore());
    SSLContext ctx = engine == JsseEngine.BCJSSE ? SSLContext.getInstance("TLS", bc) : SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
    return ctx;
  }

  private static SSLEngine serverEngine(SSLContext raw, String... protocols) {
    SSLEngine e = TestServers.rawServerEngine(raw, protocols.length == 0 ? null : protocols, null);
    e.setWantClientAuth(true);
    return e;
  }

  private static SSLContext client(JsseEngine engine, AccountPolicy account) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    return AccountFixtures.client(engine, PKI, account, new InMemoryPinStore(), sharedClientKeys(p));
  }

  private static Certificate[] presentedToServer(Connection c) throws SSLPeerUnverifiedException {
    return c.pair().serverSession().getPeerCertificates();
  }

  /** R8314-C-33, C-34: the bound account offers its own certificate; the others offer none. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void sharedKeyStore_onlyTheBoundAccountOffersItsCertificate(JsseEngine engine) throws Exception {
    SSLContext raw = rawServer(engine);
    AccountPolicy alice = AccountFixtures.account("alice").clientCertificate(ClientCertificateScope.forAlias("alice")).build();
    AccountPolicy carol = AccountFixtures.account("carol").build();
    AccountPolicy dave = AccountFixtures.account("dave")
        .clientCertificate(ClientCertificateScope.forAlias("bob").onlyFor(AccountFixtures.POP3S)).build();

    Connection a = AccountFixtures.connect(client(engine, alice), AccountFixtures.IMAPS, serverEngine(raw));
    Connection c = AccountFixtures.connect(client(engine, carol), AccountFixtures.IMAPS, serverEngine(raw));
    Connection d = AccountFixtures.connect(client(engine, dave), AccountFixtures.IMAPS, serverEngine(raw));

    a.result().assertSuccess();
    assertEquals(ALICE.certificate(), presentedToServer(a)[0]);
    c.result().assertSuccess();
    assertThrows(SSLPeerUnverifiedException.class, () -> presentedToServer(c));
    d.result().assertSuccess();
    assertThrows(SSLPeerUnverifiedException.class, () -> presentedToServer(d), "restricted to POP3S, not IMAPS");
  }

  /** The same rule over sockets: the key manager is asked with the socket, not an engine. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void socket_boundAccountOffersItsCertificate(JsseEngine engine) throws Exception {
    javax.net.ssl.SSLServerSocket listener = TestServers.rawServerSocket(rawServer(engine), null, null);
    listener.setWantClientAuth(true);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (listener) {
      java.util.concurrent.Future<Certificate[]> seen = pool.submit(() -> {
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) listener.accept()) {
          s.setSoTimeout(10_000);
          s.startHandshake();
          Certificate[] peer = s.getSession().getPeerCertificates();
          s.getInputStream().read();
          return peer;
        }
      });
      AccountPolicy alice = AccountFixtures.account("alice")
          .addEndpoint(org.mailtls.policy.MailEndpoint.of("mail.example.net", listener.getLocalPort(),
              org.mailtls.policy.identity.MailService.IMAPS, org.mailtls.policy.identity.HostProvenance.USER_TYPED))
          .clientCertificate(ClientCertificateScope.forAlias("alice")).build();
      try (java.net.Socket plain = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort());
          javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) client(engine, alice).getSocketFactory()
              .createSocket(plain, "mail.example.net", listener.getLocalPort(), true)) {
        s.setSoTimeout(10_000);
        s.startHandshake();
        s.getOutputStream().write(1);
        s.getOutputStream().flush();
        assertEquals(ALICE.certificate(), seen.get(20, java.util.concurrent.TimeUnit.SECONDS)[0]);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void boundAliasMissing_initRefused(JsseEngine engine) {
    AccountPolicy eve = AccountFixtures.account("eve").clientCertificate(ClientCertificateScope.forAlias("eve")).build();

    java.security.KeyManagementException e = assertThrows(java.security.KeyManagementException.class,
        () -> client(engine, eve));
    assertTrue(e.getMessage().contains("\"eve\""), e.getMessage());
  }

  /**
   * Sessions never resume across accounts: account A's second connection resumes (the control,
   * TLS 1.2 on both engines), account B's connection to the same server does not. Decisions
   * survive resumption.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void resumption_withinAccountOnly(JsseEngine engine) throws Exception {
    SSLContext raw = rawServer(engine);
    AccountPolicy alice = AccountFixtures.account("alice").clientCertificate(ClientCertificateScope.forAlias("alice")).build();
    AccountPolicy bob = AccountFixtures.account("bob").clientCertificate(ClientCertificateScope.forAlias("bob")).build();
    SSLContext aliceCtx = client(engine, alice);
    SSLContext bobCtx = client(engine, bob);

    Connection a1 = AccountFixtures.connect(aliceCtx, AccountFixtures.IMAPS, serverEngine(raw, "TLSv1.2"));
    Connection a2 = AccountFixtures.connect(aliceCtx, AccountFixtures.IMAPS, serverEngine(raw, "TLSv1.2"));
    Connection b1 = AccountFixtures.connect(bobCtx, AccountFixtures.IMAPS, serverEngine(raw, "TLSv1.2"));

    a1.result().assertSuccess();
    a2.result().assertSuccess();
    b1.result().assertSuccess();
    assertEquals(a1.pair().clientSession().getCreationTime(), a2.pair().clientSession().getCreationTime(),
        "control: account A's second connection resumes");
    assertArrayEquals(a1.pair().clientSession().getId(), a2.pair().clientSession().getId());
    assertNotEquals(a1.pair().clientSession().getCreationTime(), b1.pair().clientSession().getCreationTime(),
        "account B never resumes account A's session");
    assertEquals(BOB.certificate(), presentedToServer(b1)[0]);
    TrustDecision resumed = MailTls.decisionOf(a2.pair().clientSession()).orElseThrow();
    assertEquals(ConfidentialityLevel.VERIFIED, ((TrustDecision.Accepted) resumed).level());
  }

  /** R8314-C-36: a certificate sent over TLS 1.2 is logged; requireTls13 forbids TLS 1.2 for that account. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void tls12ClientCertificate_loggedOrForbidden(JsseEngine engine) throws Exception {
    SSLContext raw = rawServer(engine);
    List<LogRecord> records = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger("org.mailtls.provider");
    log.addHandler(capture);
    try {
      AccountPolicy alice = AccountFixtures.account("alice").clientCertificate(ClientCertificateScope.forAlias("alice")).build();
      AccountFixtures.connect(client(engine, alice), AccountFixtures.IMAPS, serverEngine(raw, "TLSv1.2")).result()
          .assertSuccess();
      assertTrue(records.stream().anyMatch(r -> r.getMessage().contains("client certificate was sent over TLS 1.2")),
          "a warning is logged");

      AccountPolicy strict = AccountFixtures.account("alice")
          .clientCertificate(ClientCertificateScope.forAlias("alice").requireTls13()).build();
      SSLEngine e = client(engine, strict).createSSLEngine("mail.example.net", 993);
      assertArrayEquals(new String[] {"TLSv1.3"}, e.getEnabledProtocols());
      Connection refused = AccountFixtures.connect(client(engine, strict), AccountFixtures.IMAPS,
          serverEngine(raw, "TLSv1.2"));
      assertFalse(refused.result().success());
    } finally {
      log.removeHandler(capture);
    }
  }
}
