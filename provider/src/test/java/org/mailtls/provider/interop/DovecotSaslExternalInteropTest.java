package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.DovecotClients.describe;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.Properties;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;

/**
 * SASL EXTERNAL (RFC 4422 App. A) with a MailTLS client certificate against a real Dovecot 2.3
 * (issue #6; R8314-C-35), the client-certificate Dovecot of {@link DovecotAccounts}: its passdb
 * for EXTERNAL needs no password, so the certificate alone logs in.
 *
 * <p>What Angus Mail 2.0.5 needs, found in its sources and confirmed here:
 *
 * <ul>
 *   <li>IMAP: {@code mail.imaps.sasl.enable=true} and {@code mail.imaps.sasl.mechanisms=EXTERNAL}.
 *       {@code IMAPSaslAuthenticator} asks {@code javax.security.sasl.Sasl.createSaslClient}, and
 *       the JDK's own {@code com.sun.security.sasl.ClientFactory} has EXTERNAL: no extra SASL
 *       factory. The authorization identity is {@code mail.imaps.sasl.authorizationid} (unset: the
 *       empty response, sent as {@code =} through SASL-IR, which Dovecot advertises), so Dovecot
 *       takes the user from the certificate.
 *   <li>{@code Store.connect} needs a non-null password: with a null one Angus's
 *       {@code IMAPStore.protocolConnect} gives up before connecting ("failed to connect, no
 *       password specified?"). User and password may both be empty. Pass an <b>empty</b>
 *       password: when no SASL client can be created, Angus falls back to LOGIN/PLAIN with the
 *       password it was given.
 *   <li>POP3: Angus 2.0.5's {@code POP3Store} has no SASL at all (only its own LOGIN, PLAIN, NTLM
 *       and XOAUTH2 authenticators, chosen by {@code mail.pop3.auth.mechanisms}), so POP3 AUTH
 *       EXTERNAL (RFC 5034) is shown with a raw POP3 exchange over a MailTLS socket.
 * </ul>
 *
 * <p>Every success is checked in Dovecot's log ("method=EXTERNAL"), so a silent fallback to a
 * password mechanism would fail the test.
 */
@Timeout(120)
class DovecotSaslExternalInteropTest {
  private static final String SUBJECT = "MailTLS Dovecot SASL EXTERNAL " + UUID.randomUUID();
  private static final String EXTERNAL_LOGIN = "Login: user=<" + Dovecot.USER + ">, method=EXTERNAL";

  @TempDir
  static Path tmp;

  private static DovecotAccounts accounts;

  @BeforeAll
  static void startDovecot() throws Exception {
    accounts = DovecotAccounts.start(tmp.resolve("sasl-external"), SUBJECT);
  }

  @AfterAll
  static void stopDovecot() {
    if (accounts != null) {
      accounts.close();
    }
  }

  private static Store imapsExternal(SSLContext ctx) throws Exception {
    Properties props = DovecotClients.wiring("imaps", ctx.getSocketFactory());
    props.put("mail.imaps.sasl.enable", "true");
    props.put("mail.imaps.sasl.mechanisms", "EXTERNAL");
    return Session.getInstance(props).getStore("imaps");
  }

  /** R8314-C-35: the certificate alone (empty user, empty password) logs in through EXTERNAL. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusImaps_saslExternal_certificateOnly_readsTheInbox(JsseEngine engine) throws Exception {
    Dovecot dovecot = accounts.dovecot();
    long before = dovecot.count(EXTERNAL_LOGIN);
    Store store = imapsExternal(accounts.context(engine, accounts.alice().build()));
    store.connect("localhost", dovecot.imapsPort(), "", "");
    DovecotClients.assertInboxHolds(store, SUBJECT);
    assertTrue(dovecot.awaitCount(EXTERNAL_LOGIN, before + 1, 5_000), dovecot.log());
  }

  /** R8314-C-34: an account without a certificate binding gets no EXTERNAL login. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusImaps_saslExternal_accountWithoutCertificate_refused(JsseEngine engine) throws Exception {
    Dovecot dovecot = accounts.dovecot();
    long logins = dovecot.count(EXTERNAL_LOGIN);
    long refusals = dovecot.count(DovecotClientCertificateInteropTest.NO_CERTIFICATE);
    Store store = imapsExternal(accounts.context(engine, accounts.account("carol").build()));
    AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
        () -> store.connect("localhost", dovecot.imapsPort(), "", ""));
    assertTrue(dovecot.awaitCount(DovecotClientCertificateInteropTest.NO_CERTIFICATE, refusals + 1, 5_000),
        describe(e) + "\n" + dovecot.log());
    assertEquals(logins, dovecot.count(EXTERNAL_LOGIN), dovecot.log());
  }

  /** The Angus finding pinned: a null password ends {@code connect} before anything is sent. */
  @Test
  void angusImaps_saslExternal_nullPassword_neverConnects() throws Exception {
    Store store = imapsExternal(accounts.context(JsseEngine.BCJSSE, accounts.alice().build()));
    AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
        () -> store.connect("localhost", accounts.dovecot().imapsPort(), Dovecot.USER, null));
    assertTrue(e.getMessage().contains("no password specified"), describe(e));
  }

  /**
   * R8314-C-35 over POP3 (RFC 5034 {@code AUTH EXTERNAL =}), raw because Angus's POP3 has no SASL:
   * the MailTLS socket sent alice's certificate (its session's local certificates) over TLS 1.3,
   * so encrypted (R8314-C-36); CAPA lists EXTERNAL; STAT before AUTH is refused (R8314-C-02: the
   * +OK greeting leads into AUTHORIZATION state, certificate or not); AUTH needs no password; STAT
   * then sees the message.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void rawPop3s_authExternal_certificateOnly(JsseEngine engine) throws Exception {
    Dovecot dovecot = accounts.dovecot();
    String pop3Login = "pop3-login: Info: " + EXTERNAL_LOGIN;
    long before = dovecot.count(pop3Login);
    SSLContext ctx = accounts.context(engine, accounts.alice().build());
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress("127.0.0.1", dovecot.pop3sPort()), 10_000);
      plain.setSoTimeout(10_000);
      try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", dovecot.pop3sPort(),
          true)) {
        BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = tls.getOutputStream();
        assertTrue(in.readLine().startsWith("+OK"));
        Certificate[] sent = tls.getSession().getLocalCertificates();
        assertTrue(sent != null && sent[0].equals(accounts.aliceCertificate().certificate()), "alice's certificate");
        assertEquals("TLSv1.3", tls.getSession().getProtocol(), "R8314-C-36: the certificate was encrypted");

        send(out, "CAPA");
        StringBuilder capa = new StringBuilder();
        for (String l = in.readLine(); l != null && !l.equals("."); l = in.readLine()) {
          capa.append(l).append('\n');
        }
        assertTrue(capa.toString().matches("(?s).*\nSASL [^\n]*EXTERNAL.*"), capa.toString());
        send(out, "STAT");
        String early = in.readLine();
        assertTrue(early.startsWith("-ERR"), "R8314-C-02: not logged in by the certificate alone: " + early);
        send(out, "AUTH EXTERNAL =");
        String auth = in.readLine();
        assertTrue(auth.startsWith("+OK"), auth);
        send(out, "STAT");
        String stat = in.readLine();
        assertTrue(stat.startsWith("+OK 1 "), stat);
        send(out, "QUIT");
        assertTrue(in.readLine().startsWith("+OK"));
      }
    }
    assertTrue(dovecot.awaitCount(pop3Login, before + 1, 5_000), dovecot.log());
  }

  private static void send(OutputStream out, String line) throws Exception {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
