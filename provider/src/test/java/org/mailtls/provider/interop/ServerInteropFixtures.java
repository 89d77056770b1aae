package org.mailtls.provider.interop;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.policy.server.Rfc822NameMapping;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTlsParameters;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.provider.MailTlsServerParameters;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;
import org.mailtls.testing.TestPki;

/**
 * Certificates and server contexts for the server-side interop tests (issue #6): one test PKI whose
 * root is the clients' {@code -CAfile}; the server holds two keys for "localhost", EC P-256 and
 * RSA-2048, so that a refusal of an RSA-key-exchange or ECDHE-RSA suite is the policy's and not a
 * missing key; client certificates for SASL EXTERNAL (alice, mapped; mallory, same CA but a domain
 * the mapping does not allow; eve, from another CA).
 */
final class ServerInteropFixtures {
  static final String HOST = "localhost";
  static final char[] PASSWORD = "changeit".toCharArray();
  static final String USER = "alice";
  static final String USER_PASSWORD = "correct-horse-staple";
  static final String MAPPED_IDENTITY = "alice@example.net";

  static final TestPki PKI = TestPki.create();
  // 90 days: the server start-up check (R8314-S-18) warns about certificates expiring within 30
  static final HeldCertificate EC_LEAF = PKI.leaf().addDnsName(HOST).validFor(Duration.ofDays(90)).build();
  static final HeldCertificate RSA_LEAF =
      PKI.leaf().keyType(KeyType.RSA_2048).addDnsName(HOST).validFor(Duration.ofDays(90)).build();
  static final HeldCertificate ALICE =
      PKI.leaf().subjectCommonName("alice").addRfc822Name(MAPPED_IDENTITY).build();
  static final HeldCertificate MALLORY =
      PKI.leaf().subjectCommonName("mallory").addRfc822Name("mallory@evil.example").build();
  private static final TestPki OTHER_PKI = TestPki.create();
  static final HeldCertificate EVE =
      OTHER_PKI.leaf().subjectCommonName("eve").addRfc822Name("alice@example.net").build();

  private ServerInteropFixtures() {}

  static InetAddress loopback() throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
  }

  /** The EC and RSA localhost keys, each with its chain as a server sends it (leaf, intermediate). */
  static KeyStore serverKeys() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    for (var e : new Object[][] {{"ec", EC_LEAF}, {"rsa", RSA_LEAF}}) {
      HeldCertificate c = (HeldCertificate) e[1];
      ks.setKeyEntry((String) e[0], c.privateKey(), PASSWORD,
          c.chain().subList(0, c.chain().size() - 1).toArray(Certificate[]::new));
    }
    return ks;
  }

  /** A MailTLS server context (obtained by name) serving both localhost keys, no client certificates. */
  static SSLContext mailTlsServer(JsseEngine engine) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", p);
    kmf.init(serverKeys(), PASSWORD);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", p);
    tmf.init(PKI.trustStore());
    SSLContext ctx = SSLContext.getInstance("MailTLS", p);
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * The README's server shape for client-certificate login (R8314-S-16): MailTlsServerParameters with
   * "localhost" (strict SNI, default alias for clients without SNI), and client certificates of
   * {@link #PKI} mapped by rfc822Name for example.net to a SASL EXTERNAL identity.
   */
  static SSLContext clientCertificateServer(JsseEngine engine) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", p);
    kmf.init(MailTlsServerParameters.builder(serverKeys(), PASSWORD)
        .serverName(HOST, "ec").defaultAlias("ec").build());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", p);
    tmf.init(MailTlsParameters.builder()
        .trustStore(PKI.trustStore())
        .clientCertificateMapping(Rfc822NameMapping.builder().allowDomain("example.net").build())
        .build());
    SSLContext ctx = SSLContext.getInstance("MailTLS", p);
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * A raw SunJSSE context with the same two keys: the positive control. The test JVM empties
   * jdk.tls.disabledAlgorithms (permissive-peers.security), so it can speak TLS 1.0/1.1, CBC and RSA
   * key exchange once {@link #permissive} enables them on its listener.
   */
  static SSLContext rawServer() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(serverKeys(), PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
    ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
    return ctx;
  }

  /** Enables every protocol and suite the raw engine supports on {@code listener}. */
  static void permissive(SSLServerSocket listener) {
    listener.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"});
    listener.setEnabledCipherSuites(listener.getSupportedCipherSuites());
  }

  /**
   * Writes ca.pem (the trusted root) and, per client, NAME.pem (leaf), NAME-chain.pem (its
   * intermediate, for {@code -cert_chain}) and NAME.key (PKCS#8) into {@code clients}' directory.
   */
  static Pems writePems(ExternalClients clients) {
    for (var e : new Object[][] {{"alice", ALICE}, {"mallory", MALLORY}, {"eve", EVE}}) {
      HeldCertificate c = (HeldCertificate) e[1];
      clients.write(e[0] + ".pem", c.certificatePem());
      clients.write(e[0] + "-chain.pem", pemOf(c.chain().get(1)));
      clients.write(e[0] + ".key", c.privateKeyPkcs8Pem());
    }
    return new Pems(clients.write("ca.pem", PKI.root().certificatePem()));
  }

  private static String pemOf(java.security.cert.X509Certificate c) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The PEM files the external clients read: {@link #ca()}, and per client name its leaf, chain and key. */
  record Pems(Path ca) {
    Path cert(String name) {
      return ca.resolveSibling(name + ".pem");
    }

    Path chain(String name) {
      return ca.resolveSibling(name + "-chain.pem");
    }

    Path key(String name) {
      return ca.resolveSibling(name + ".key");
    }
  }
}
