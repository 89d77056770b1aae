package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.DovecotClients.causes;
import static org.mailtls.provider.interop.DovecotClients.describe;
import static org.mailtls.provider.interop.DovecotClients.wiring;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.ConnectionAssessment;
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTls;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;
import org.opentest4j.AssertionFailedError;

/**
 * Interop with a real Dovecot 2.3 (issue #6, first slice): Angus Mail 2.0.5 IMAPS and POP3S
 * clients wired as in the README ("Using the provider", Angus Mail) over a MailTLS context on
 * BCJSSE and SunJSSE, against {@link Dovecot} instances run by the test on loopback:
 *
 * <ul>
 *   <li>{@code good}: leaf for dNSName "localhost" + intermediate, from {@link TestPki};
 *   <li>{@code wrongName}: leaf for dNSName "other.example.net" only (R7817-C-01);
 *   <li>{@code selfSigned}: a self-signed certificate for "localhost", not under the trusted root
 *       (R8314-C-25);
 *   <li>{@code tls11}: the good certificate, but TLS 1.1 only (refused by the TLS floor), with
 *       {@code openssl s_client -tls1_1} as positive control.
 * </ul>
 */
@Timeout(120)
class DovecotInteropTest {
  private static final String SUBJECT = "MailTLS Dovecot interop " + UUID.randomUUID();
  private static final String WRONG_NAME = "other.example.net";
  /** IANA TLS Supported Groups names MailTLS may report (RFC 8446 §4.2.7, RFC 7919). */
  private static final Set<String> KNOWN_GROUPS = Set.of("x25519", "x448", "secp256r1", "secp384r1", "secp521r1",
      "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192");

  @TempDir
  static Path tmp;

  private static TestPki pki;
  private static Dovecot good;
  private static Dovecot wrongName;
  private static Dovecot selfSigned;
  private static Dovecot tls11;

  @BeforeAll
  static void startDovecots() throws Exception {
    pki = TestPki.create();
    HeldCertificate localhost = pki.leaf().addDnsName("localhost").build();
    List<Dovecot> started = new ArrayList<>();
    try {
      good = started(started, Dovecot.start(tmp.resolve("good"), localhost, DovecotConfig.Tls.MODERN, SUBJECT));
      wrongName = started(started, Dovecot.start(tmp.resolve("wrong-name"),
          pki.leaf().addDnsName(WRONG_NAME).build(), DovecotConfig.Tls.MODERN, SUBJECT));
      selfSigned = started(started, Dovecot.start(tmp.resolve("self-signed"),
          HeldCertificate.builder().subjectCommonName("localhost").addDnsName("localhost").build(),
          DovecotConfig.Tls.MODERN, SUBJECT));
      tls11 = started(started, Dovecot.start(tmp.resolve("tls11"), localhost, DovecotConfig.Tls.TLS11_ONLY, SUBJECT));
    } catch (Exception | Error e) {
      started.forEach(Dovecot::close);
      throw e;
    }
    System.out.printf("Dovecot ready after: good %d ms, wrong-name %d ms, self-signed %d ms, tls11 %d ms%n",
        good.startupMillis(), wrongName.startupMillis(), selfSigned.startupMillis(), tls11.startupMillis());
  }

  private static Dovecot started(List<Dovecot> list, Dovecot d) {
    list.add(d);
    return d;
  }

  @AfterAll
  static void stopDovecots() {
    for (Dovecot d : new Dovecot[] {good, wrongName, selfSigned, tls11}) {
      if (d != null) {
        d.close();
        assertFalse(d.isAlive(), d + " still running");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusImapsReadsTheInbox(JsseEngine engine) throws Exception {
    Store store = Session.getInstance(wiring("imaps", context(engine).getSocketFactory())).getStore("imaps");
    store.connect("localhost", good.imapsPort(), Dovecot.USER, Dovecot.PASSWORD);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        assertEquals(1, inbox.getMessageCount());
        assertEquals(SUBJECT, inbox.getMessage(1).getSubject());
      } finally {
        inbox.close(false);
      }
    } finally {
      store.close();
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusPop3sCountsTheMessage(JsseEngine engine) throws Exception {
    Store store = Session.getInstance(wiring("pop3s", context(engine).getSocketFactory())).getStore("pop3s");
    store.connect("localhost", good.pop3sPort(), Dovecot.USER, Dovecot.PASSWORD);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        assertEquals(1, inbox.getMessageCount());
      } finally {
        inbox.close(false);
      }
    } finally {
      store.close();
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusImapsRefusesAWrongName(JsseEngine engine) throws Exception {
    TrustDecision.Refused r = refusedByAngus("imaps", wrongName.imapsPort(), engine);
    assertEquals("R7817-C-01", r.rule(), r.message());
    assertTrue(r.message().contains(WRONG_NAME), r.message());
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusPop3sRefusesAWrongName(JsseEngine engine) throws Exception {
    TrustDecision.Refused r = refusedByAngus("pop3s", wrongName.pop3sPort(), engine);
    assertEquals("R7817-C-01", r.rule(), r.message());
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusImapsRefusesASelfSignedCertificate(JsseEngine engine) throws Exception {
    TrustDecision.Refused r = refusedByAngus("imaps", selfSigned.imapsPort(), engine);
    assertEquals("R8314-C-25", r.rule(), r.message());
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusPop3sRefusesASelfSignedCertificate(JsseEngine engine) throws Exception {
    TrustDecision.Refused r = refusedByAngus("pop3s", selfSigned.pop3sPort(), engine);
    assertEquals("R8314-C-25", r.rule(), r.message());
  }

  /**
   * Angus hides the socket, so one direct IMAPS connection: a plain socket layered with the MailTLS
   * factory (as Angus does), Dovecot's greeting read, and the session inspected: TLS 1.3 (Dovecot
   * 2.3.19 on Debian 12's OpenSSL 3.0 allows it and both engines prefer it), VERIFIED, and a group
   * MailTLS observed in the handshake.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void directImapsSessionIsTls13VerifiedWithAKnownGroup(JsseEngine engine) throws Exception {
    SSLSocketFactory factory = context(engine).getSocketFactory();
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress("127.0.0.1", good.imapsPort()), 10_000);
      plain.setSoTimeout(10_000);
      try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, "localhost", good.imapsPort(), true)) {
        tls.startHandshake();
        BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
        String greeting = in.readLine();
        assertTrue(greeting != null && greeting.startsWith("* OK") && greeting.contains("Dovecot"), greeting);

        SSLSession session = tls.getSession();
        assertEquals("TLSv1.3", session.getProtocol());
        ConnectionAssessment assessment = MailTls.assess(tls);
        assertEquals(ConfidentialityLevel.VERIFIED, assessment.level(), assessment.summary());
        assertTrue(assessment.isConfidential(), assessment.summary());
        TrustDecision decision = MailTls.decisionOf(session).orElseThrow(() -> new AssertionFailedError("no decision"));
        assertTrue(decision.isAccepted(), decision.message());
        String group = MailTls.negotiatedGroup(session)
            .orElseThrow(() -> new AssertionFailedError("MailTLS did not observe the group"));
        assertTrue(KNOWN_GROUPS.contains(group), group);

        tls.getOutputStream().write("a LOGOUT\r\n".getBytes(StandardCharsets.US_ASCII));
        tls.getOutputStream().flush();
      }
    }
  }

  /**
   * A TLS 1.1-only Dovecot is refused by MailTLS's protocol floor (R8314-C-11), on both engines,
   * for IMAPS and POP3S. No certificate decision is reached (the refusal is the engine's, in the
   * version negotiation), so only the handshake failure and Dovecot's side of it are asserted.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusRefusesATls11OnlyDovecot(JsseEngine engine) throws Exception {
    for (String protocol : new String[] {"imaps", "pop3s"}) {
      int port = "imaps".equals(protocol) ? tls11.imapsPort() : tls11.pop3sPort();
      Store store = Session.getInstance(wiring(protocol, context(engine).getSocketFactory())).getStore(protocol);
      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect("localhost", port, Dovecot.USER, Dovecot.PASSWORD), protocol);
      assertTrue(causes(e).stream().anyMatch(SSLHandshakeException.class::isInstance), protocol + ": " + describe(e));
      assertFalse(store.isConnected());
    }
    assertTrue(tls11.awaitLog("SSL_accept() failed", 5_000), tls11.log());
  }

  /**
   * Positive control for {@link #angusRefusesATls11OnlyDovecot}: the server really speaks TLS 1.1
   * ({@code openssl s_client -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'} handshakes) and nothing newer
   * (the same with {@code -tls1_2} fails), so the refusal is MailTLS's floor, not a broken server.
   */
  @Test
  void opensslHandshakesWithTheTls11OnlyDovecotOnlyOverTls11() throws Exception {
    String ok = sClient(tls11.imapsPort(), "-tls1_1");
    assertTrue(ok.contains("Protocol  : TLSv1.1"), ok);
    assertFalse(ok.contains("Cipher is (NONE)"), ok);
    String newer = sClient(tls11.imapsPort(), "-tls1_2");
    assertFalse(newer.contains("Protocol  : TLSv1.2") && !newer.contains("Cipher is (NONE)"), newer);
    assertTrue(newer.contains("Cipher is (NONE)") || newer.contains("error"), newer);
  }

  // ---------------------------------------------------------------------------------------------

  private static SSLContext context(JsseEngine engine) throws GeneralSecurityException {
    return DovecotClients.context(engine, pki);
  }

  private static TrustDecision.Refused refusedByAngus(String protocol, int port, JsseEngine engine) throws Exception {
    Store store = Session.getInstance(wiring(protocol, context(engine).getSocketFactory())).getStore(protocol);
    MessagingException e = assertThrows(MessagingException.class,
        () -> store.connect("localhost", port, Dovecot.USER, Dovecot.PASSWORD));
    assertFalse(store.isConnected());
    return MailTls.decisionOf(e).orElseThrow(
        () -> new AssertionFailedError("no MailTLS refusal in the cause chain: " + describe(e), e));
  }

  private static String sClient(int port, String version) throws Exception {
    return DovecotClients.sClient(tmp, port, version, "-cipher", "DEFAULT:@SECLEVEL=0");
  }
}
