package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.DovecotClients.causes;
import static org.mailtls.provider.interop.DovecotClients.describe;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.file.Path;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ClientCertificateScope;
import org.mailtls.provider.JsseEngine;

/**
 * Client-certificate login against a real Dovecot 2.3 (issue #6; RFC 8314 §5.5): Dovecot asks for
 * a certificate under the test CA, takes the user from its CN and refuses every login without one
 * ({@link DovecotConfig} javadoc: {@code auth_ssl_require_client_cert}), and Angus Mail 2.0.5 over
 * MailTLS (BCJSSE and SunJSSE) logs in with PLAIN, password plus certificate. All accounts share
 * one client key store holding alice's and mallory's certificates ({@link DovecotAccounts}).
 *
 * <ul>
 *   <li>R8314-C-32, C-33: the account bound to alice's certificate offers it when Dovecot asks,
 *       logs in and reads INBOX;
 *   <li>R8314-C-34: an account of the same key store with no binding offers nothing: the TLS
 *       handshake succeeds (Dovecot only requests a certificate), then Dovecot refuses the login
 *       ("Client didn't present valid SSL certificate") although the password is right, and no
 *       mailbox is opened;
 *   <li>R8314-C-33: an account whose binding is scoped to the POP3S endpoint offers nothing to
 *       IMAPS (refused as above) and its certificate to POP3S (logs in), from one context.
 * </ul>
 *
 * <p>SASL EXTERNAL with the same Dovecot: {@link DovecotSaslExternalInteropTest}.
 */
@Timeout(120)
class DovecotClientCertificateInteropTest {
  private static final String SUBJECT = "MailTLS Dovecot client certificate " + UUID.randomUUID();
  private static final String PLAIN_LOGIN = "Login: user=<" + Dovecot.USER + ">, method=PLAIN";
  /** What Dovecot's auth process says when a mechanism starts without a valid client certificate. */
  static final String NO_CERTIFICATE = "Client didn't present valid SSL certificate";

  @TempDir
  static Path tmp;

  private static DovecotAccounts accounts;

  @BeforeAll
  static void startDovecot() throws Exception {
    accounts = DovecotAccounts.start(tmp.resolve("client-cert"), SUBJECT);
  }

  @AfterAll
  static void stopDovecot() {
    if (accounts != null) {
      accounts.close();
    }
  }

  private static Store imaps(SSLContext ctx) throws Exception {
    return Session.getInstance(DovecotClients.wiring("imaps", ctx.getSocketFactory())).getStore("imaps");
  }

  /** R8314-C-32, C-33: the bound account's certificate plus the password log in; INBOX is read. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void boundAccount_plainWithCertificate_readsTheInbox(JsseEngine engine) throws Exception {
    Dovecot dovecot = accounts.dovecot();
    long before = dovecot.count(PLAIN_LOGIN);
    Store store = imaps(accounts.context(engine, accounts.alice().build()));
    store.connect("localhost", dovecot.imapsPort(), Dovecot.USER, Dovecot.PASSWORD);
    DovecotClients.assertInboxHolds(store, SUBJECT);
    assertTrue(dovecot.awaitCount(PLAIN_LOGIN, before + 1, 5_000), dovecot.log());
  }

  /**
   * R8314-C-34: an account without a binding, over the same key store, offers no certificate;
   * Dovecot completes the handshake and then refuses the login despite the right password.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void accountWithoutCertificate_loginRefusedByDovecot(JsseEngine engine) throws Exception {
    AccountPolicy carol = accounts.account("carol").build();
    assertRefusedAfterHandshake(imaps(accounts.context(engine, carol)), accounts.dovecot().imapsPort());
  }

  /** R8314-C-33: a binding scoped to POP3S offers nothing to IMAPS and the certificate to POP3S. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void certificateScopedToPop3s_offeredThereOnly(JsseEngine engine) throws Exception {
    AccountPolicy scoped = accounts.account("alice-pop3")
        .clientCertificate(ClientCertificateScope.forAlias(DovecotAccounts.ALICE).onlyFor(accounts.pop3s()))
        .build();
    SSLContext ctx = accounts.context(engine, scoped);
    assertRefusedAfterHandshake(imaps(ctx), accounts.dovecot().imapsPort());

    Dovecot dovecot = accounts.dovecot();
    long before = dovecot.count(PLAIN_LOGIN);
    Store pop3s = Session.getInstance(DovecotClients.wiring("pop3s", ctx.getSocketFactory())).getStore("pop3s");
    pop3s.connect("localhost", dovecot.pop3sPort(), Dovecot.USER, Dovecot.PASSWORD);
    assertEquals(1, DovecotClients.inboxCount(pop3s));
    assertTrue(dovecot.awaitCount(PLAIN_LOGIN, before + 1, 5_000), dovecot.log());
  }

  /**
   * The login (not the handshake) fails: Angus reports an authentication failure with no TLS
   * exception in its chain, Dovecot logs that no valid certificate came, and logs no login.
   */
  private static void assertRefusedAfterHandshake(Store store, int port) throws Exception {
    Dovecot dovecot = accounts.dovecot();
    long logins = dovecot.count(PLAIN_LOGIN);
    long refusals = dovecot.count(NO_CERTIFICATE);
    AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
        () -> store.connect("localhost", port, Dovecot.USER, Dovecot.PASSWORD));
    assertFalse(store.isConnected());
    assertTrue(causes(e).stream().noneMatch(SSLException.class::isInstance), describe(e));
    assertTrue(dovecot.awaitCount(NO_CERTIFICATE, refusals + 1, 5_000), dovecot.log());
    assertEquals(logins, dovecot.count(PLAIN_LOGIN), dovecot.log());
  }
}
