package org.mailtls.provider;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;
import org.mailtls.testing.TestPki;

/**
 * A two-domain mail server for the SNI tests: {@code mail.example.net} (EC P-256, alias "net") and
 * {@code mail.example.org} (RSA 2048, alias "org", so choosing it also exercises the key-type
 * matching of both engines), both from {@link HostilePeers#PKI}.
 */
final class SniFixtures {
  static final TestPki PKI = HostilePeers.PKI;
  static final String NET = "mail.example.net";
  static final String ORG = "mail.example.org";
  static final HeldCertificate NET_CERT = PKI.leaf().subjectCommonName(NET).addDnsName(NET)
      .validFor(Duration.ofDays(365)).build();
  static final HeldCertificate ORG_CERT = PKI.leaf().keyType(KeyType.RSA_2048).addDnsName(ORG)
      .validFor(Duration.ofDays(365)).build();

  private SniFixtures() {}

  /** A PKCS12 store with key entries "net" and "org" (leaf + intermediate) and trusted entry "root". */
  static KeyStore twoDomainStore() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    addKey(ks, "net", NET_CERT);
    addKey(ks, "org", ORG_CERT);
    ks.setCertificateEntry("root", PKI.root().certificate());
    return ks;
  }

  static void addKey(KeyStore ks, String alias, HeldCertificate leaf) throws Exception {
    List<X509Certificate> chain = leaf.chain();
    List<X509Certificate> sent = chain.size() > 1 ? chain.subList(0, chain.size() - 1) : chain;
    ks.setKeyEntry(alias, leaf.privateKey(), TestServers.PASSWORD, sent.toArray(new X509Certificate[0]));
  }

  /** Both names mapped, default "net", trust anchors for the chain check. */
  static MailTlsServerParameters.Builder twoDomains() throws Exception {
    return MailTlsServerParameters.builder(twoDomainStore(), TestServers.PASSWORD)
        .serverName(NET, "net")
        .serverName(ORG, "org")
        .defaultAlias("net")
        .trustAnchors(PKI.trustStore());
  }

  /** A MailTLS server context over {@code params}, obtained by name, and its key manager. */
  record Server(SSLContext context, InMemoryKeyManager keyManager) {
    /** As a RawHandshake server; with {@code matcher}, the SNI matcher of the key manager is installed. */
    RawHandshake.Server handshakeServer(boolean matcher) {
      return new RawHandshake.Server() {
        @Override
        public SSLEngine engine() {
          SSLEngine e = context.createSSLEngine();
          e.setUseClientMode(false);
          if (matcher) {
            e.setSSLParameters(withMatcher(e.getSSLParameters()));
          }
          return e;
        }

        @Override
        public SSLServerSocket listen() throws Exception {
          SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory()
              .createServerSocket(0, 1, RawHandshake.loopback());
          if (matcher) {
            s.setSSLParameters(withMatcher(s.getSSLParameters()));
          }
          return s;
        }
      };
    }

    private SSLParameters withMatcher(SSLParameters p) {
      p.setSNIMatchers(List.of(ServerNames.matcher(keyManager.sniNames())));
      return p;
    }
  }

  static Server server(JsseEngine engine, MailTlsServerParameters params) throws Exception {
    MailTlsProvider provider = new MailTlsProvider(engine);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", provider);
    kmf.init(params);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(PKI.trustStore());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return new Server(ctx, (InMemoryKeyManager) kmf.getKeyManagers()[0]);
  }

  /** A raw SunJSSE client context that validates chains to {@link #PKI} (no name check: tests compare certificates). */
  static SSLContext rawClientContext() throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(PKI.trustStore());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * A raw client that sends exactly {@code sni} (none when empty), whatever host it connects with,
   * speaking only {@code protocol}.
   */
  static RawHandshake.Client rawClient(List<SNIServerName> sni, String protocol) throws Exception {
    return RawHandshake.Client.of(rawClientContext(), "client.invalid")
        .restrictedTo(new String[] {protocol}, null)
        .withHooks(e -> e.setSSLParameters(serverNames(e.getSSLParameters(), sni)),
            s -> s.setSSLParameters(serverNames(s.getSSLParameters(), sni)));
  }

  private static SSLParameters serverNames(SSLParameters p, List<SNIServerName> sni) {
    p.setServerNames(sni);
    return p;
  }
}
