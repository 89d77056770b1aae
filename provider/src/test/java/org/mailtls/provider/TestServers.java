package org.mailtls.provider;

import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/** Contexts for tests: MailTLS clients obtained by name, and raw (permissive) peers. */
final class TestServers {
  static final char[] PASSWORD = "changeit".toCharArray();

  private TestServers() {}

  /** A MailTLS client context trusting {@code pki}'s root, obtained only through standard JSSE API by name. */
  static SSLContext mailTlsClient(MailTlsProvider provider, TestPki pki) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(pki.trustStore());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A MailTLS client context for an account. */
  static SSLContext mailTlsClient(MailTlsProvider provider, TestPki pki, AccountPolicy account, MailTlsPolicy policy)
      throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(MailTlsParameters.builder().trustStore(pki.trustStore()).account(account).policy(policy).build());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A MailTLS server context serving {@code leaf}. */
  static SSLContext mailTlsServer(MailTlsProvider provider, TestPki pki, HeldCertificate leaf) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", provider);
    kmf.init(TestPki.keyStore(leaf, PASSWORD), PASSWORD);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(pki.trustStore());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A raw SunJSSE server context serving {@code leaf}. */
  static SSLContext rawServer(HeldCertificate leaf) throws Exception {
    return rawServer(TestPki.keyStore(leaf, PASSWORD));
  }

  /** A raw SunJSSE server context serving the key entry of {@code ks} (password {@link #PASSWORD}). */
  static SSLContext rawServer(KeyStore ks) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
    return ctx;
  }

  /** A server-mode engine of a raw context limited to the given protocols and suites (null: defaults). */
  static SSLEngine rawServerEngine(SSLContext raw, String[] protocols, String[] suites) {
    SSLEngine e = raw.createSSLEngine();
    e.setUseClientMode(false);
    SSLParameters p = e.getSSLParameters();
    if (protocols != null) {
      p.setProtocols(protocols);
    }
    if (suites != null) {
      p.setCipherSuites(suites);
    }
    e.setSSLParameters(p);
    return e;
  }

  /**
   * A listening socket of a raw context on 127.0.0.1, port 0, limited to the given protocols and
   * suites (null: defaults); accepted sockets inherit the limits.
   */
  static SSLServerSocket rawServerSocket(SSLContext raw, String[] protocols, String[] suites) throws IOException {
    SSLServerSocket s = (SSLServerSocket) raw.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    SSLParameters p = s.getSSLParameters();
    if (protocols != null) {
      p.setProtocols(protocols);
    }
    if (suites != null) {
      p.setCipherSuites(suites);
    }
    s.setSSLParameters(p);
    return s;
  }
}
