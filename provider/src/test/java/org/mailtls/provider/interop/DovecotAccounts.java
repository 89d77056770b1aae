package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ClientCertificateScope;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.MailService;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTlsParameters;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/**
 * A client-certificate Dovecot ({@link DovecotConfig.Builder#requireClientCertificates}) and the
 * MailTLS accounts that talk to it: one test PKI issues the server's "localhost" certificate and
 * the users' certificates (CN = Dovecot user name, rfc822Name SAN), and one shared client key store
 * holds alice's and mallory's, as a multi-account mail client's store would (README "Accounts").
 */
final class DovecotAccounts implements AutoCloseable {
  /** Key store alias of alice's certificate (CN {@link Dovecot#USER}). */
  static final String ALICE = "alice";
  /** Key store alias of another user's certificate, which no account here binds. */
  static final String MALLORY = "mallory";
  private static final char[] KEY_PASSWORD = "dovecot-client-keys".toCharArray();

  private final TestPki pki;
  private final Dovecot dovecot;
  private final KeyStore clientKeys;
  private final HeldCertificate aliceCertificate;
  private final MailEndpoint imaps;
  private final MailEndpoint pop3s;

  private DovecotAccounts(TestPki pki, Dovecot dovecot, KeyStore clientKeys, HeldCertificate aliceCertificate) {
    this.pki = pki;
    this.dovecot = dovecot;
    this.clientKeys = clientKeys;
    this.aliceCertificate = aliceCertificate;
    this.imaps = MailEndpoint.of("localhost", dovecot.imapsPort(), MailService.IMAPS, HostProvenance.USER_TYPED);
    this.pop3s = MailEndpoint.of("localhost", dovecot.pop3sPort(), MailService.POP3S, HostProvenance.USER_TYPED);
  }

  /** Starts the Dovecot under {@code dir}, with {@code subject} in alice's INBOX. */
  static DovecotAccounts start(Path dir, String subject) throws Exception {
    TestPki pki = TestPki.create();
    HeldCertificate alice = pki.leaf().subjectCommonName(Dovecot.USER).addRfc822Name(Dovecot.USER + "@localhost")
        .build();
    HeldCertificate mallory = pki.leaf().subjectCommonName(MALLORY).addRfc822Name(MALLORY + "@localhost").build();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(ALICE, alice.privateKey(), KEY_PASSWORD, alice.chain().toArray(Certificate[]::new));
    keys.setKeyEntry(MALLORY, mallory.privateKey(), KEY_PASSWORD, mallory.chain().toArray(Certificate[]::new));
    Dovecot dovecot = Dovecot.start(dir, DovecotConfig.builder(pki.leaf().addDnsName("localhost").build())
        .requireClientCertificates(List.of(pki.root().certificate(), pki.intermediate().certificate()))
        .subject(subject)
        .build());
    System.out.printf("Dovecot (client certificates) ready after %d ms%n", dovecot.startupMillis());
    return new DovecotAccounts(pki, dovecot, keys, alice);
  }

  Dovecot dovecot() {
    return dovecot;
  }

  /** Alice's client certificate (key store alias {@link #ALICE}). */
  HeldCertificate aliceCertificate() {
    return aliceCertificate;
  }

  MailEndpoint imaps() {
    return imaps;
  }

  MailEndpoint pop3s() {
    return pop3s;
  }

  /** An account with both endpoints of the Dovecot and no client certificate. */
  AccountPolicy.Builder account(String id) {
    return AccountPolicy.builder(id).emailAddress(id + "@localhost").addEndpoint(imaps).addEndpoint(pop3s);
  }

  /** Alice's account: both endpoints, bound to her certificate for both. */
  AccountPolicy.Builder alice() {
    return account(ALICE).clientCertificate(ClientCertificateScope.forAlias(ALICE));
  }

  /**
   * The README's per-account context: MailTLS key managers over the shared key store, trust
   * managers for {@code account} trusting only the test root.
   */
  SSLContext context(JsseEngine engine, AccountPolicy account) throws Exception {
    MailTlsProvider provider = new MailTlsProvider(engine);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", provider);
    kmf.init(clientKeys, KEY_PASSWORD);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(MailTlsParameters.builder().trustStore(pki.trustStore()).account(account).build());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  @Override
  public void close() {
    dovecot.close();
    assertFalse(dovecot.isAlive(), dovecot + " still running");
  }
}
