package org.mailtls.cli.demo;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/**
 * The demo's throw-away CA and its four loopback servers: a compliant IMAPS server (MailTLS server
 * context: TLS 1.3/1.2, AEAD only, certificate for {@value #HOST}), an IMAPS server whose
 * certificate names {@value #WRONG_NAME}, a legacy IMAPS server that speaks only TLS 1.1, and a
 * STARTTLS-only IMAP server. Closing stops all of them.
 */
public final class DemoServers implements AutoCloseable {
  /** The name every demo server is reached as. */
  public static final String HOST = "mail.example.test";
  /** The name on the wrong-name server's certificate (its hoster's name: a common mistake). */
  public static final String WRONG_NAME = "mail.hoster.example";

  private static final char[] PASSWORD = "demo".toCharArray();

  private final TestPki pki;
  private final DemoImapServer compliant;
  private final DemoImapServer wrongName;
  private final LegacyTls11Server legacy;
  private final DemoImapServer startTls;

  private DemoServers(TestPki pki, DemoImapServer compliant, DemoImapServer wrongName, LegacyTls11Server legacy,
      DemoImapServer startTls) {
    this.pki = pki;
    this.compliant = compliant;
    this.wrongName = wrongName;
    this.legacy = legacy;
    this.startTls = startTls;
  }

  /** Mints the CA and the certificates, and starts the servers on free loopback ports. */
  public static DemoServers start() throws IOException, GeneralSecurityException {
    TestPki pki = TestPki.create();
    HeldCertificate good = pki.leaf().subjectCommonName(HOST).addDnsName(HOST).build();
    HeldCertificate wrong = pki.leaf().subjectCommonName(WRONG_NAME).addDnsName(WRONG_NAME).build();
    HeldCertificate legacyLeaf = pki.leaf().subjectCommonName(HOST).addDnsName(HOST).build();
    MailTlsProvider provider = new MailTlsProvider();
    @Nullable DemoImapServer compliant = null;
    @Nullable DemoImapServer wrongName = null;
    @Nullable LegacyTls11Server legacy = null;
    try {
      compliant = DemoImapServer.start("compliant", serverContext(provider, pki, good),
          DemoImapServer.Mode.IMPLICIT_TLS);
      wrongName = DemoImapServer.start("wrong-name", serverContext(provider, pki, wrong),
          DemoImapServer.Mode.IMPLICIT_TLS);
      legacy = LegacyTls11Server.start(legacyLeaf);
      DemoImapServer startTls = DemoImapServer.start("starttls", serverContext(provider, pki, good),
          DemoImapServer.Mode.STARTTLS);
      return new DemoServers(pki, compliant, wrongName, legacy, startTls);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      for (AutoCloseable c : new AutoCloseable[] {compliant, wrongName, legacy}) {
        closeQuietly(c, e);
      }
      throw e;
    }
  }

  /** A MailTLS server context serving {@code leaf} with its intermediate. */
  private static SSLContext serverContext(MailTlsProvider provider, TestPki pki, HeldCertificate leaf)
      throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(MailTlsProvider.ALGORITHM, provider);
    kmf.init(TestPki.keyStore(leaf, PASSWORD), PASSWORD);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(MailTlsProvider.ALGORITHM, provider);
    tmf.init(pki.trustStore());
    SSLContext ctx = SSLContext.getInstance(MailTlsProvider.ALGORITHM, provider);
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** The throw-away CA's root as a trust store: the client's only trust anchor. */
  public KeyStore trustStore() {
    return pki.trustStore();
  }

  /** The CA's name, for the demo's heading. */
  public String caName() {
    return TestPki.ROOT_CN;
  }

  public int compliantPort() {
    return compliant.port();
  }

  public int wrongNamePort() {
    return wrongName.port();
  }

  public int legacyPort() {
    return legacy.port();
  }

  public int startTlsPort() {
    return startTls.port();
  }

  /** Stops every server (their threads are daemons, and end when their listeners close). */
  @Override
  public void close() {
    IOException ignored = new IOException("stopping the demo servers");
    for (AutoCloseable c : new AutoCloseable[] {compliant, wrongName, legacy, startTls}) {
      closeQuietly(c, ignored);
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable c, Exception failure) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }
}
