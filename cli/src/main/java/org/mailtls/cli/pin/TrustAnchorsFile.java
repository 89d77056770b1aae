package org.mailtls.cli.pin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/** Trust anchors from a PEM file of CA certificates, as an in-memory key store. */
final class TrustAnchorsFile {
  private TrustAnchorsFile() {}

  /**
   * Reads every certificate in {@code pem}.
   *
   * @throws IOException naming the file when it cannot be read or holds no certificate
   */
  static KeyStore load(Path pem) throws IOException {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(pem)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new IOException("cannot read trust anchors from " + pem + ": " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IOException("cannot read trust anchors from " + pem + ": it holds no PEM certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("anchor-" + i++, c);
      }
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot hold the trust anchors of " + pem + " in memory: " + e.getMessage(), e);
    }
  }
}
