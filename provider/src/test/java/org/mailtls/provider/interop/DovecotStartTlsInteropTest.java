package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.DovecotClients.describe;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTls;
import org.mailtls.testing.TestPki;
import org.opentest4j.AssertionFailedError;

/**
 * STARTTLS interop with a real Dovecot 2.3 (issue #6): Angus Mail 2.0.5 IMAP and POP3 clients with
 * {@code mail.<p>.starttls.enable} and {@code starttls.required} set, upgrading with the MailTLS
 * factory ({@code mail.<p>.ssl.socketFactory}, see {@link DovecotClients#wiring}) on BCJSSE and
 * SunJSSE, against a Dovecot with cleartext IMAP/POP3 listeners and {@code ssl = required}.
 *
 * <ul>
 *   <li>Logging in and reading the mailbox works, and Dovecot logs the login as over TLS
 *       (R8314-C-01's check applies to STARTTLS too; TLS-04 strict mode: STL-05);
 *   <li>the same server reached as "127.0.0.1" is refused by MailTLS's identity check during the
 *       STARTTLS handshake, so the MailTLS trust manager really is on Angus's STARTTLS path
 *       (STL-11: validation identical for STARTTLS and implicit TLS);
 *   <li>control: without STARTTLS Dovecot refuses the login, so the passing tests did need TLS.
 * </ul>
 */
@Timeout(120)
class DovecotStartTlsInteropTest {
  private static final String SUBJECT = "MailTLS Dovecot STARTTLS " + UUID.randomUUID();
  /** Dovecot's login line ends with ", TLS" (or ", TLS, session=...") only for a TLS connection. */
  private static final String TLS_LOGIN = "Login: user=<" + Dovecot.USER + ">, method=PLAIN";
  /**
   * Dovecot counts a connection whose remote and local IP are equal as "secured" and then allows
   * plaintext logins despite {@code ssl = required}; connecting from another loopback address
   * (Linux routes all of 127.0.0.0/8 to lo) keeps the cleartext connection insecure in its eyes.
   */
  private static final String CLIENT_ADDRESS = "127.0.0.2";

  @TempDir
  static Path tmp;

  private static TestPki pki;
  private static Dovecot dovecot;

  @BeforeAll
  static void startDovecot() throws Exception {
    pki = TestPki.create();
    dovecot = Dovecot.start(tmp.resolve("starttls"),
        DovecotConfig.builder(pki.leaf().addDnsName("localhost").build()).startTls().subject(SUBJECT).build());
    System.out.printf("Dovecot (STARTTLS) ready after %d ms%n", dovecot.startupMillis());
  }

  @AfterAll
  static void stopDovecot() {
    if (dovecot != null) {
      dovecot.close();
      assertFalse(dovecot.isAlive(), dovecot + " still running");
    }
  }

  private static Store store(String protocol, JsseEngine engine, boolean startTls) throws Exception {
    Properties props = DovecotClients.wiring(protocol, DovecotClients.context(engine, pki).getSocketFactory());
    props.put("mail." + protocol + ".starttls.enable", String.valueOf(startTls));
    props.put("mail." + protocol + ".starttls.required", String.valueOf(startTls));
    props.put("mail." + protocol + ".localaddress", CLIENT_ADDRESS);
    return Session.getInstance(props).getStore(protocol);
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusImapStartTls_readsTheInbox(JsseEngine engine) throws Exception {
    long before = dovecot.count(TLS_LOGIN);
    Store store = store("imap", engine, true);
    store.connect("localhost", dovecot.imapPort(), Dovecot.USER, Dovecot.PASSWORD);
    DovecotClients.assertInboxHolds(store, SUBJECT);
    assertTrue(dovecot.awaitCount(TLS_LOGIN, before + 1, 5_000), dovecot.log());
    assertTrue(dovecot.lastLine(TLS_LOGIN).contains(", TLS"), dovecot.lastLine(TLS_LOGIN));
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusPop3StartTls_countsTheMessage(JsseEngine engine) throws Exception {
    long before = dovecot.count(TLS_LOGIN);
    Store store = store("pop3", engine, true);
    store.connect("localhost", dovecot.pop3Port(), Dovecot.USER, Dovecot.PASSWORD);
    assertEquals(1, DovecotClients.inboxCount(store));
    assertTrue(dovecot.awaitCount(TLS_LOGIN, before + 1, 5_000), dovecot.log());
    assertTrue(dovecot.lastLine(TLS_LOGIN).contains(", TLS"), dovecot.lastLine(TLS_LOGIN));
  }

  /**
   * STL-11: the certificate names only "localhost"; reached as the IP literal 127.0.0.1 the
   * STARTTLS handshake is refused by MailTLS (an IP reference identity needs an IP SAN, never a
   * DNS name or a reverse lookup), for IMAP and POP3, and no login happens.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusStartTls_toAnUnlistedIpLiteral_refusedByMailTls(JsseEngine engine) throws Exception {
    long logins = dovecot.count(TLS_LOGIN);
    for (String protocol : new String[] {"imap", "pop3"}) {
      Store store = store(protocol, engine, true);
      int port = protocol.equals("imap") ? dovecot.imapPort() : dovecot.pop3Port();
      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect("127.0.0.1", port, Dovecot.USER, Dovecot.PASSWORD), protocol);
      assertFalse(store.isConnected());
      TrustDecision.Refused r = MailTls.decisionOf(e).orElseThrow(() -> new AssertionFailedError(
          protocol + ": no MailTLS refusal in the cause chain: " + describe(e), e));
      assertEquals("R7817-C-01", r.rule(), r.message());
      assertTrue(r.message().contains("IP-ID 127.0.0.1"), r.message());
    }
    assertEquals(logins, dovecot.count(TLS_LOGIN), "no login after a refused STARTTLS");
  }

  /**
   * Control: the same Angus clients without STARTTLS are refused by Dovecot ({@code ssl = required}):
   * IMAP advertises LOGINDISABLED and no AUTH= mechanism (Angus: "No login methods supported!"),
   * POP3 answers the login with "Plaintext authentication disallowed".
   */
  @Test
  void angusWithoutStartTls_refusedByDovecot() throws Exception {
    for (String protocol : new String[] {"imap", "pop3"}) {
      Store store = store(protocol, JsseEngine.BCJSSE, false);
      int port = protocol.equals("imap") ? dovecot.imapPort() : dovecot.pop3Port();
      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect("localhost", port, Dovecot.USER, Dovecot.PASSWORD),
          () -> protocol + " logged in without TLS: " + dovecot.lastLine("Login: "));
      assertFalse(store.isConnected());
      String expected = protocol.equals("imap") ? "No login methods supported" : "Plaintext authentication disallowed";
      assertTrue(describe(e).contains(expected), protocol + ": " + describe(e));
    }
  }
}
