package org.mailtls.cli.probe;


import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.cli.PemTrustStore;
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

  /** Every certificate in a PEM file, as trusted entries of a fresh in-memory key store ({@link PemTrustStore}). */
  static KeyStore trustStore(Path file) throws UsageException {
    try {
      return PemTrustStore.load(file);
    } catch (IOException e) {
      throw new UsageException("--trust " + file + ": " + e.getMessage());
    }
  }
}
