package org.mailtls.cli.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/** The test PKI, MailTLS server contexts, and the trust anchor as the PEM file {@code --trust} reads. */
public final class ProbeFixtures {
  public static final TestPki PKI = TestPki.create();
  /** The compliant server's certificate: DNS-ID localhost, which is what the probe connects to. */
  public static final HeldCertificate LOCALHOST = PKI.leaf().addDnsName("localhost").build();
  /** A certificate for another name: the probe's reference identity localhost does not match. */
  public static final HeldCertificate WRONG_NAME = PKI.leaf().addDnsName("mail.example.org").build();
  /** A certificate naming only the email domain (RFC 7817 §3: a reference identity with --email). */
  public static final HeldCertificate EMAIL_DOMAIN = PKI.leaf().addDnsName("example.net").build();
  static final char[] PASSWORD = "changeit".toCharArray();

  private ProbeFixtures() {}

  /** A MailTLS server context serving {@code leaf} (TLS 1.3/1.2, RFC 9325 suites only). */
  public static SSLContext mailTlsServer(HeldCertificate leaf) {
    try {
      MailTlsProvider p = new MailTlsProvider(JsseEngine.BCJSSE);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", p);
      kmf.init(TestPki.keyStore(leaf, PASSWORD), PASSWORD);
      SSLContext ctx = SSLContext.getInstance("MailTLS", p);
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a MailTLS server context", e);
    }
  }

  /** Writes the test root to {@code dir}/anchors.pem and returns the path. */
  public static Path trustFile(Path dir) throws IOException {
    return Files.writeString(dir.resolve("anchors.pem"), "test anchors\n" + PKI.root().certificatePem(),
        StandardCharsets.US_ASCII);
  }
}
