package org.mailtls.cli;

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

/**
 * Trust anchors from a PEM file of CA certificates, as an in-memory key store: the one loader
 * behind every {@code mailtls} option that names a CA file ({@code probe --trust}, {@code pin add
 * --ca}). Text outside the {@code BEGIN/END CERTIFICATE} blocks (comments, other PEM types) is
 * ignored; a block that does not parse fails the whole file, since a silently skipped anchor would
 * turn into a confusing refusal later.
 */
public final class PemTrustStore {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");
  /** A trust file larger than this is not a PEM bundle anyone meant. */
  static final long MAX_FILE = 16L * 1024 * 1024;

  private PemTrustStore() {}

  /**
   * Every certificate in {@code file}, as trusted entries {@code anchor-0}, {@code anchor-1}, ...
   *
   * @throws IOException with a one-line message (without the file name, which the caller adds with
   *     its option) when the file cannot be read, is too large, holds no certificate or a bad one
   */
  public static KeyStore load(Path file) throws IOException {
    String text;
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new IOException("larger than 16 MB, not a PEM bundle");
      }
      text = new String(Files.readAllBytes(file), US_ASCII);
    } catch (IOException e) {
      throw e.getMessage() != null && e.getMessage().startsWith("larger than") ? e
          : new IOException("cannot read it (" + e.getClass().getSimpleName()
              + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")", e);
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
        throw new IOException("no \"-----BEGIN CERTIFICATE-----\" block found");
      }
      return store;
    } catch (CertificateException | IllegalArgumentException e) {
      throw new IOException("not a valid PEM certificate (" + e.getMessage() + ")", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an in-memory trust store", e);
    }
  }
}
