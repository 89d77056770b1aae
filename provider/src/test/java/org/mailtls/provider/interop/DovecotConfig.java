package org.mailtls.provider.interop;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.mailtls.testing.HeldCertificate;

/**
 * What one private {@link Dovecot} serves, and its {@code dovecot.conf} (Dovecot 2.3 syntax).
 * Always IMAPS and POP3S on free 127.0.0.1 ports with {@code ssl = required}, one user
 * ({@link Dovecot#USER}) whose INBOX holds one message; optionally:
 *
 * <ul>
 *   <li>{@link #startTls()}: cleartext IMAP and POP3 listeners too, where {@code ssl = required}
 *       (with Dovecot's default {@code disable_plaintext_auth = yes}) allows a login only after
 *       STARTTLS / STLS;
 *   <li>a {@link Tls} profile other than {@link Tls#MODERN};
 *   <li>{@link Builder#requireClientCertificates}: client-certificate login (below).
 * </ul>
 *
 * <p><b>Client certificates.</b> {@code ssl_verify_client_cert = yes} with {@code ssl_ca} = the
 * given CA certificates makes Dovecot send a CertificateRequest (it does not fail the handshake
 * without a certificate: OpenSSL's {@code SSL_VERIFY_PEER} without {@code FAIL_IF_NO_PEER_CERT});
 * {@code ssl_require_crl = no} because the test CA publishes no CRL (Dovecot's default would refuse
 * every client certificate). {@code auth_ssl_require_client_cert = yes} makes the auth process
 * refuse every mechanism without a valid certificate, and {@code auth_ssl_username_from_cert = yes}
 * with {@code ssl_cert_username_field = commonName} makes the certificate's CN the user, whatever
 * name the client typed. Two passdbs, each limited by {@code mechanisms} (Dovecot 2.3 has the
 * setting; {@code doveconf} accepts it): {@code static nopassword=y} for {@code EXTERNAL} only (the
 * certificate is the credential; Dovecot's EXTERNAL verifies an empty password, so it needs a
 * password-less passdb), and the passwd-file (with the password) for {@code PLAIN LOGIN}, so a
 * PLAIN login needs certificate and password.
 */
final class DovecotConfig {
  /** The TLS versions and suites the server accepts. */
  enum Tls {
    /** Dovecot 2.3.19 defaults: {@code ssl_min_protocol = TLSv1.2}, OpenSSL's maximum (TLS 1.3). */
    MODERN,
    /**
     * TLS 1.1 only. Dovecot 2.3.19 has {@code ssl_min_protocol} but no {@code ssl_max_protocol}
     * (see {@code doveconf -d}), so the maximum is capped through OpenSSL's own configuration: an
     * {@code openssl.cnf} with {@code MaxProtocol = TLSv1.1} in its {@code system_default} section,
     * handed to every Dovecot process by {@code import_environment = OPENSSL_CONF=<file>} (Dovecot's
     * master clears the environment of its children). {@code ssl_cipher_list} and the
     * CipherString lower OpenSSL 3's security level to 0, without which TLS 1.1 is refused.
     */
    TLS11_ONLY,
    /**
     * TLS 1.2 only (capped as for {@link #TLS11_ONLY}), with only ECDHE CBC suites matching the
     * certificate's key ({@code ECDHE-ECDSA-AES128-SHA} etc. for EC, {@code ECDHE-RSA-...} for RSA):
     * forward-secret, but not AEAD, which RFC 9325 §4.2 allows only with encrypt_then_mac (TLS-18).
     */
    TLS12_CBC_ONLY
  }

  private final HeldCertificate leaf;
  private final Tls tls;
  private final boolean startTls;
  private final List<X509Certificate> clientCas;
  private final String subject;

  private DovecotConfig(Builder b) {
    this.leaf = b.leaf;
    this.tls = b.tls;
    this.startTls = b.startTls;
    this.clientCas = b.clientCas;
    this.subject = b.subject;
  }

  /** A configuration serving {@code leaf} (followed by its issuers except a self-signed root). */
  static Builder builder(HeldCertificate leaf) {
    return new Builder(requireNonNull(leaf, "leaf"));
  }

  Tls tls() {
    return tls;
  }

  boolean startTls() {
    return startTls;
  }

  boolean clientCertificates() {
    return !clientCas.isEmpty();
  }

  String subject() {
    return subject;
  }

  /** The OpenSSL cipher names of {@link Tls#TLS12_CBC_ONLY} for this certificate's key. */
  List<String> cbcSuites() {
    String auth = leaf.keyType().isRsa() ? "RSA" : "ECDSA";
    return List.of("ECDHE-" + auth + "-AES128-SHA", "ECDHE-" + auth + "-AES256-SHA",
        "ECDHE-" + auth + "-AES128-SHA256", "ECDHE-" + auth + "-AES256-SHA384");
  }

  /** The ports one instance listens on; 0 for a listener that is off. */
  record Ports(int imaps, int pop3s, int imap, int pop3) {}

  /**
   * Writes certificate, key, CA and user files under {@code dir} and returns the text of
   * {@code dovecot.conf} for an instance on {@code ports}, running as {@code users}.
   */
  String write(Path dir, Ports ports, DovecotFiles.Users users, Path base, Path state, Path home)
      throws IOException, GeneralSecurityException {
    Path cert = DovecotFiles.write(dir.resolve("cert-chain.pem"), DovecotFiles.chainPem(leaf), false);
    Path key = DovecotFiles.write(dir.resolve("key.pem"), leaf.privateKeyPkcs8Pem(), true);
    Path passwd = dir.resolve("users");
    Files.writeString(passwd, Dovecot.USER + ":{PLAIN}" + Dovecot.PASSWORD + ":" + users.mailUid() + ":"
        + users.mailGid() + "::" + home + "\n", StandardCharsets.US_ASCII);

    StringBuilder conf = new StringBuilder();
    conf.append("# generated by ").append(DovecotConfig.class.getName()).append("\n")
        .append("instance_name = mailtls-test-").append(ports.imaps()).append("\n")
        .append("base_dir = ").append(base).append("\n")
        .append("state_dir = ").append(state).append("\n")
        .append("listen = 127.0.0.1\n")
        .append("protocols = imap pop3\n")
        .append("log_path = /dev/stderr\n")
        .append("auth_verbose = yes\n")
        .append("default_internal_user = ").append(users.internal()).append("\n")
        .append("default_login_user = ").append(users.login()).append("\n")
        .append("first_valid_uid = 1\n")
        .append("mail_location = maildir:~/Maildir\n")
        .append("ssl = required\n")
        .append("ssl_cert = <").append(cert).append("\n")
        .append("ssl_key = <").append(key).append("\n");
    switch (tls) {
      case MODERN:
        break;
      case TLS11_ONLY:
        conf.append("ssl_min_protocol = TLSv1.1\n")
            .append("ssl_cipher_list = DEFAULT:@SECLEVEL=0\n")
            .append(opensslCap(dir, "TLSv1.1", "DEFAULT:@SECLEVEL=0"));
        break;
      case TLS12_CBC_ONLY:
        String cbc = String.join(":", cbcSuites());
        conf.append("ssl_min_protocol = TLSv1.2\n")
            .append("ssl_cipher_list = ").append(cbc).append("\n")
            .append(opensslCap(dir, "TLSv1.2", cbc));
        break;
      default:
        throw new AssertionError(tls);
    }
    if (clientCertificates()) {
      Path ca = DovecotFiles.write(dir.resolve("client-ca.pem"), DovecotFiles.pem(clientCas), false);
      conf.append("auth_mechanisms = plain login external\n")
          .append("ssl_verify_client_cert = yes\n")
          .append("ssl_ca = <").append(ca).append("\n")
          .append("ssl_require_crl = no\n")
          .append("auth_ssl_require_client_cert = yes\n")
          .append("auth_ssl_username_from_cert = yes\n")
          .append("ssl_cert_username_field = commonName\n")
          .append("passdb {\n  driver = static\n  args = nopassword=y\n  mechanisms = external\n}\n")
          .append("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ").append(passwd)
          .append("\n  mechanisms = plain login\n}\n");
    } else {
      conf.append("auth_mechanisms = plain login\n")
          .append("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ").append(passwd)
          .append("\n}\n");
    }
    conf.append("userdb {\n  driver = passwd-file\n  args = username_format=%u ").append(passwd).append("\n}\n")
        .append(service("imap", ports.imap(), ports.imaps()))
        .append(service("pop3", ports.pop3(), ports.pop3s()));
    return conf.toString();
  }

  /**
   * An {@code openssl.cnf} pinning {@code system_default} to exactly {@code version} with
   * {@code ciphers}, and the {@code import_environment} line that hands it to Dovecot's processes.
   */
  private static String opensslCap(Path dir, String version, String ciphers) throws IOException {
    Path opensslConf = dir.resolve("openssl-" + version + ".cnf");
    Files.writeString(opensslConf, String.join("\n",
        "openssl_conf = openssl_init",
        "[openssl_init]",
        "ssl_conf = ssl_sect",
        "[ssl_sect]",
        "system_default = system_default_sect",
        "[system_default_sect]",
        "MinProtocol = " + version,
        "MaxProtocol = " + version,
        "CipherString = " + ciphers,
        ""), StandardCharsets.US_ASCII);
    return "import_environment = TZ OPENSSL_CONF=" + opensslConf + "\n";
  }

  private static String service(String protocol, int cleartext, int implicit) {
    return "service " + protocol + "-login {\n"
        + "  inet_listener " + protocol + " {\n    port = " + cleartext + "\n  }\n"
        + "  inet_listener " + protocol + "s {\n    port = " + implicit + "\n    ssl = yes\n  }\n"
        + "}\n";
  }

  /** Builder; defaults: {@link Tls#MODERN}, implicit TLS only, no client certificates. */
  static final class Builder {
    private final HeldCertificate leaf;
    private Tls tls = Tls.MODERN;
    private boolean startTls;
    private List<X509Certificate> clientCas = List.of();
    private String subject = "MailTLS Dovecot interop";

    private Builder(HeldCertificate leaf) {
      this.leaf = leaf;
    }

    Builder tls(Tls tls) {
      this.tls = requireNonNull(tls, "tls");
      return this;
    }

    /** Also serve cleartext IMAP and POP3 (STARTTLS / STLS), still {@code ssl = required}. */
    Builder startTls() {
      this.startTls = true;
      return this;
    }

    /** Ask for client certificates issued under {@code cas} and log users in by them (class javadoc). */
    Builder requireClientCertificates(List<X509Certificate> cas) {
      if (cas.isEmpty()) {
        throw new IllegalArgumentException("no CA certificates for client certificates");
      }
      this.clientCas = List.copyOf(cas);
      return this;
    }

    /** The subject of the pre-delivered message. */
    Builder subject(String subject) {
      this.subject = requireNonNull(subject, "subject");
      return this;
    }

    DovecotConfig build() {
      return new DovecotConfig(this);
    }
  }
}
