package org.mailtls.cli.probe;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.provider.MailTlsParameters;
import org.mailtls.provider.MailTlsProvider;

/**
 * The MailTLS client context the probe judges servers with: the same provider, policy and
 * identity rules a mail client gets from {@code SSLContext.getInstance("MailTLS")}, with the
 * {@code --trust} anchors (or the JDK's trust store) and, with {@code --email}, the account.
 *
 * <p>Why through the public JSSE names and not a shortcut: the probe's verdict is only worth
 * something if it is exactly what a MailTLS mail client would decide.
 */
final class ClientContext {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");
  /** A trust file larger than this is not a PEM bundle anyone meant. */
  private static final long MAX_TRUST_FILE = 16L * 1024 * 1024;

  private ClientContext() {}

  /**
   * The context for {@code r}.
   *
   * @throws UsageException when the trust file cannot be read or holds no certificate
   */
  static SSLContext create(ProbeRequest r) throws UsageException, GeneralSecurityException {
    MailTlsProvider provider = new MailTlsProvider(r.engine());
    MailTlsParameters.Builder p = MailTlsParameters.builder();
    if (r.trust().isPresent()) {
      p.trustStore(trustStore(r.trust().get()));
    }
    r.account().ifPresent(p::account);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(MailTlsProvider.ALGORITHM, provider);
    tmf.init(p.build());
    SSLContext ctx = SSLContext.getInstance(MailTlsProvider.ALGORITHM, provider);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** Every certificate in a PEM file, as trusted entries of a fresh in-memory key store. */
  static KeyStore trustStore(Path file) throws UsageException {
    String text;
    try {
      if (Files.size(file) > MAX_TRUST_FILE) {
        throw new UsageException("--trust " + file + ": larger than 16 MB, not a PEM bundle");
      }
      text = new String(Files.readAllBytes(file), US_ASCII);
    } catch (IOException e) {
      throw new UsageException("--trust " + file + ": cannot read it (" + e.getClass().getSimpleName()
          + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Matcher m = PEM.matcher(text);
      int n = 0;
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        X509Certificate c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
        store.setCertificateEntry("anchor-" + n++, c);
      }
      if (n == 0) {
        throw new UsageException("--trust " + file + ": no \"-----BEGIN CERTIFICATE-----\" block found");
      }
      return store;
    } catch (CertificateException | IllegalArgumentException e) {
      throw new UsageException("--trust " + file + ": not a valid PEM certificate (" + e.getMessage() + ")");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make an in-memory trust store", e);
    }
  }
}
