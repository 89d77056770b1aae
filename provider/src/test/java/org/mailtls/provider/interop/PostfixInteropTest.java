package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
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
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;
import org.opentest4j.AssertionFailedError;

/**
 * Interop with a real Postfix 3.7 (issue #6): Angus Mail 2.0.5 SMTP clients wired as in the README
 * ("Using the provider", Angus Mail; {@code socketFactory.fallback=false}) over a MailTLS context on
 * BCJSSE and SunJSSE, submitting with SASL AUTH (Postfix → private Dovecot auth) to {@link Postfix}
 * instances on loopback, each started once for the class:
 *
 * <ul>
 *   <li>{@code good}: leaf for dNSName "localhost" + intermediate from {@link TestPki};
 *   <li>{@code wrongName}: leaf for "other.example.net" only (R7817-C-01);
 *   <li>{@code tls11}: the good certificate, TLS 1.1 only (R8314-C-11), with {@code openssl
 *       s_client -tls1_1} as positive control.
 * </ul>
 *
 * Delivery is asserted in Postfix's maildir, the TLS parameters in Postfix's own log and Received
 * field, refusals in MailTLS's decision and in Postfix's log and queue (nothing queued).
 */
@Timeout(120)
class PostfixInteropTest {
  private static final String WRONG_NAME = "other.example.net";
  private static final long WAIT_MS = 10_000;
  private static final String SSL_ACCEPT_ERROR = "SSL_accept error from unknown[127.0.0.1]";
  private static final String CERTIFICATE_UNKNOWN = "SSL alert number 46:";
  private static final String DISCONNECT = "disconnect from unknown[127.0.0.1]";
  private static final String UNSUPPORTED_PROTOCOL = "SSL routines::unsupported protocol";
  private static final Pattern QUEUE_ID =
      Pattern.compile("by postfix\\.mailtls\\.test \\(Postfix\\) with (\\S+) id ([0-9A-F]+)");

  @TempDir
  static Path tmp;

  private static TestPki pki;
  private static Postfix good;
  private static Postfix wrongName;
  private static Postfix tls11;
  private static PostfixSystemState systemBefore;

  @BeforeAll
  static void startPostfixes() throws Exception {
    systemBefore = PostfixSystemState.snapshot();
    pki = TestPki.create();
    HeldCertificate localhost = pki.leaf().addDnsName("localhost").build();
    List<Postfix> started = new ArrayList<>();
    try {
      good = started(started, Postfix.start(tmp.resolve("good"), localhost, Postfix.Tls.MODERN));
      wrongName = started(started, Postfix.start(tmp.resolve("wrong-name"),
          pki.leaf().addDnsName(WRONG_NAME).build(), Postfix.Tls.MODERN));
      tls11 = started(started, Postfix.start(tmp.resolve("tls11"), localhost, Postfix.Tls.TLS11_ONLY));
    } catch (Exception | Error e) {
      started.forEach(Postfix::close);
      throw e;
    }
    System.out.printf("Postfix ready after: good %d ms, wrong-name %d ms, tls11 %d ms%n",
        good.startupMillis(), wrongName.startupMillis(), tls11.startupMillis());
  }

  private static Postfix started(List<Postfix> list, Postfix p) {
    list.add(p);
    return p;
  }

  @AfterAll
  static void stopPostfixes() {
    List<String> problems = new ArrayList<>();
    for (Postfix p : new Postfix[] {good, wrongName, tls11}) {
      if (p != null) {
        try {
          p.close();
        } catch (RuntimeException e) {
          problems.add(e.toString());
        }
        if (p.isAlive()) {
          problems.add(p + " still running");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * R8314-C-01, R8314-C-04: implicit TLS submission ("submissions", Angus {@code smtps}) with AUTH
   * delivers; Postfix logs the handshake of the very connection that queued the message, and its
   * Received field says ESMTPSA (TLS + AUTH, RFC 3848) with the same protocol and cipher.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusSubmissions_implicitTls_deliveredOverTlsWithAuth(JsseEngine engine) throws Exception {
    assertDeliveredOverTls("smtps", good.submissionsPort(), "submissions", engine);
  }

  /** R8314-C-04, STL-05: STARTTLS submission ("submission", required) with AUTH delivers, likewise. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusSubmission_startTls_deliveredOverTlsWithAuth(JsseEngine engine) throws Exception {
    assertDeliveredOverTls("smtp", good.submissionPort(), "submission", engine);
  }

  /**
   * STL-11, R8314-C-08: a STARTTLS dialogue by hand, TLS layered by the MailTLS factory as Angus
   * does (same trust code path as implicit TLS); the session is VERIFIED, and MailTLS's protocol,
   * suite and group equal what Postfix logged for the connection. Also observed: Postfix offers
   * AUTH only after TLS (STL-09, server side, {@code smtpd_tls_auth_only}).
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void directStartTls_verifiedSessionMatchesPostfixLog(JsseEngine engine) throws Exception {
    int before = PostfixLog.tlsLines(good.log()).size();
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress("127.0.0.1", good.submissionPort()), 10_000);
      plain.setSoTimeout(10_000);
      PostfixSmtp clear = new PostfixSmtp(plain);
      assertTrue(clear.reply().get(0).startsWith("220 postfix.mailtls.test ESMTP"));
      List<String> ehlo = clear.command("EHLO client.mailtls.test");
      assertTrue(ehlo.contains("250-STARTTLS"), ehlo.toString());
      assertTrue(ehlo.stream().noneMatch(l -> l.contains("AUTH")), "AUTH offered in cleartext: " + ehlo);
      assertTrue(clear.command("STARTTLS").get(0).startsWith("220 "));
      try (SSLSocket tls = (SSLSocket) context(engine).getSocketFactory()
          .createSocket(plain, "localhost", good.submissionPort(), true)) {
        tls.startHandshake();
        PostfixSmtp secure = new PostfixSmtp(tls);
        List<String> ehlo2 = secure.command("EHLO client.mailtls.test");
        assertTrue(ehlo2.stream().anyMatch(l -> l.matches("250[- ]AUTH .*PLAIN.*")), ehlo2.toString());
        assertTrue(ehlo2.stream().noneMatch(l -> l.contains("STARTTLS")), ehlo2.toString());
        assertTrue(secure.command("QUIT").get(0).startsWith("221 "));

        SSLSession session = tls.getSession();
        ConnectionAssessment assessment = MailTls.assess(tls);
        assertEquals(ConfidentialityLevel.VERIFIED, assessment.level(), assessment.summary());
        assertTrue(MailTls.decisionOf(session).map(TrustDecision::isAccepted).orElse(false), "decision");
        assertEquals("TLSv1.3", session.getProtocol());
        assertTrue(awaitTlsLines(good, before + 1), good.log());
        PostfixLog.TlsLine logged = PostfixLog.tlsLines(good.log()).get(before);
        assertEquals("submission", logged.service());
        assertEquals(session.getProtocol(), logged.protocol(), "protocol: MailTLS vs Postfix");
        assertEquals(session.getCipherSuite(), logged.cipher(), "TLS 1.3 suites: OpenSSL and IANA names agree");
        String group = MailTls.negotiatedGroup(session).orElseThrow(() -> new AssertionFailedError("no group"));
        assertEquals(group, PostfixLog.ianaGroup(logged.keyExchange().orElse("(none)")), logged.toString());
      }
    }
  }

  /** R7817-C-01, R8314-C-01: a wrong-name Postfix on the implicit-TLS port is refused; nothing is queued. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusSubmissions_wrongName_refusedNothingQueued(JsseEngine engine) throws Exception {
    TrustDecision.Refused r = refused("smtps", wrongName.submissionsPort(), "submissions", engine);
    assertEquals("R7817-C-01", r.rule(), r.message());
    assertTrue(r.message().contains(WRONG_NAME), r.message());
  }

  /**
   * R7817-C-01, STL-05, STL-11: the same after STARTTLS; Postfix's own accounting of the connection
   * shows the failed STARTTLS and no AUTH or MAIL (no credentials, no message sent in cleartext).
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusSubmission_wrongName_refusedAfterStartTlsNoAuthSent(JsseEngine engine) throws Exception {
    String service = "postfix/submission/smtpd";
    int before = PostfixLog.lines(wrongName.log(), service, DISCONNECT).size();
    TrustDecision.Refused r = refused("smtp", wrongName.submissionPort(), "submission", engine);
    assertEquals("R7817-C-01", r.rule(), r.message());
    assertTrue(awaitLines(wrongName, before + 1, service, DISCONNECT), wrongName.log());
    List<String> after = PostfixLog.lines(wrongName.log(), service, DISCONNECT);
    // "... disconnect from unknown[127.0.0.1] ehlo=1 starttls=0/1 commands=1/2"
    String last = after.get(after.size() - 1);
    assertTrue(last.contains(" ehlo=1 starttls=0/1 commands=1/2"), last);
    assertFalse(last.contains("auth=") || last.contains("mail="), last);
  }

  /** R8314-C-11, TLS-01: a TLS 1.1-only Postfix is refused by MailTLS's version floor; nothing queued. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusSubmissions_tls11Only_refused(JsseEngine engine) throws Exception {
    int failures = PostfixLog.lines(tls11.log(), SSL_ACCEPT_ERROR).size();
    int unsupported = PostfixLog.lines(tls11.log(), UNSUPPORTED_PROTOCOL).size();
    MessagingException e = assertThrows(MessagingException.class,
        () -> send("smtps", tls11.submissionsPort(), engine, "must not arrive " + UUID.randomUUID()));
    assertTrue(PostfixSmtp.causes(e).stream().anyMatch(SSLHandshakeException.class::isInstance),
        PostfixSmtp.describe(e));
    assertTrue(awaitLines(tls11, failures + 1, SSL_ACCEPT_ERROR), tls11.log());
    // Postfix's side: the ClientHello offered no version it allows (MailTLS never offers TLS 1.1).
    assertTrue(awaitLines(tls11, unsupported + 1, UNSUPPORTED_PROTOCOL), tls11.log());
    assertNothingQueued(tls11);
  }

  /**
   * Positive control for the TLS 1.1 refusal: {@code openssl s_client -tls1_1} completes a handshake
   * with the same Postfix, {@code -tls1_2} does not.
   */
  @Test
  void openssl_tls11OnlyPostfix_speaksTls11AndNothingNewer() throws Exception {
    String ok = PostfixSmtp.sClient(tmp, tls11.submissionsPort(), "-tls1_1");
    assertTrue(ok.contains("Protocol  : TLSv1.1"), ok);
    assertFalse(ok.contains("Cipher is (NONE)"), ok);
    String newer = PostfixSmtp.sClient(tmp, tls11.submissionsPort(), "-tls1_2");
    assertTrue(newer.contains("Cipher is (NONE)") || !newer.contains("Protocol  : TLSv1.2"), newer);
  }

  /**
   * The fixture's own promises: {@code postfix check} is clean, the only inet services are the two
   * loopback submission ports (no port 25), every path is private, and the system's Postfix
   * directories were not touched.
   */
  @Test
  void fixture_privateCleanConfig_systemUntouched() throws Exception {
    for (Postfix p : new Postfix[] {good, wrongName, tls11}) {
      assertFalse(p.checkOutput().contains("warning") || p.checkOutput().contains("fatal"), p.checkOutput());
      List<String> inet = PostfixSmtp.inetServices(p.configDirectory());
      assertEquals(List.of("127.0.0.1:" + p.submissionsPort(), "127.0.0.1:" + p.submissionPort()), inet);
      String dirs = PostfixSmtp.postconf(p.configDirectory(), "-h", "queue_directory", "data_directory",
          "meta_directory", "maillog_file");
      for (String d : dirs.strip().split("\n")) {
        assertTrue(d.startsWith(tmp.toString()) || d.equals("/dev/stdout"), d);
      }
    }
    assertEquals(systemBefore, PostfixSystemState.snapshot(), "/etc/postfix, /var/spool/postfix, /var/lib/postfix");
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertDeliveredOverTls(String protocol, int port, String service, JsseEngine engine)
      throws Exception {
    String subject = "MailTLS Postfix interop " + protocol + " " + engine + " " + UUID.randomUUID();
    send(protocol, port, engine, subject);
    String message = good.awaitDelivery(subject, WAIT_MS)
        .orElseThrow(() -> new AssertionFailedError("not delivered: " + subject + "; log:\n" + good.log()
            + "\nDovecot auth log:\n" + good.authLog()));
    Matcher id = QUEUE_ID.matcher(message);
    assertTrue(id.find(), message);
    assertEquals("ESMTPSA", id.group(1), "RFC 3848: TLS and AUTH; " + message);
    Map.Entry<PostfixLog.TlsLine, String> conn = PostfixLog.connectionOf(good.log(), id.group(2))
        .orElseThrow(() -> new AssertionFailedError("no TLS line for queue id " + id.group(2) + ":\n" + good.log()));
    PostfixLog.TlsLine tls = conn.getKey();
    assertEquals(service, tls.service(), tls.toString());
    assertEquals("TLSv1.3", tls.protocol(), "both engines and OpenSSL 3 prefer TLS 1.3: " + tls);
    assertTrue(conn.getValue().contains("sasl_username=" + Postfix.USER), conn.getValue());
    assertTrue(message.contains("(using " + tls.protocol() + " with cipher " + tls.cipher() + " "), message);
  }

  private static TrustDecision.Refused refused(String protocol, int port, String service, JsseEngine engine)
      throws Exception {
    int failures = PostfixLog.lines(wrongName.log(), SSL_ACCEPT_ERROR).size();
    int alerts = PostfixLog.lines(wrongName.log(), CERTIFICATE_UNKNOWN).size();
    MessagingException e = assertThrows(MessagingException.class,
        () -> send(protocol, port, engine, "must not arrive " + UUID.randomUUID()));
    TrustDecision.Refused r = MailTls.decisionOf(e).orElseThrow(
        () -> new AssertionFailedError("no MailTLS refusal in the cause chain: " + PostfixSmtp.describe(e), e));
    assertTrue(awaitLines(wrongName, failures + 1, SSL_ACCEPT_ERROR), wrongName.log());
    List<String> errors = PostfixLog.lines(wrongName.log(), SSL_ACCEPT_ERROR);
    assertTrue(errors.get(errors.size() - 1).contains("postfix/" + service + "/smtpd"), errors.toString());
    // The client's alert, as OpenSSL reports it to Postfix: certificate_unknown (46), RFC 8446 §6.2.
    assertTrue(awaitLines(wrongName, alerts + 1, CERTIFICATE_UNKNOWN), wrongName.log());
    assertNothingQueued(wrongName);
    return r;
  }

  private static void assertNothingQueued(Postfix p) throws Exception {
    assertEquals(List.of(), p.queuedFiles(), "queue");
    assertEquals(List.of(), p.mailbox(), "maildir");
    assertEquals(List.of(), PostfixLog.lines(p.log(), ": client=unknown[127.0.0.1]"), "queue ids");
  }

  /** Waits (bounded) until {@code count} log lines contain every one of {@code texts}. */
  private static boolean awaitLines(Postfix p, int count, String... texts) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (PostfixLog.lines(p.log(), texts).size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(25);
    }
    return PostfixLog.lines(p.log(), texts).size() >= count;
  }

  private static boolean awaitTlsLines(Postfix p, int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (PostfixLog.tlsLines(p.log()).size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(25);
    }
    return PostfixLog.tlsLines(p.log()).size() >= count;
  }

  /** Angus Mail: connect with AUTH as {@link Postfix#USER}, send one message, close. */
  private static void send(String protocol, int port, JsseEngine engine, String subject) throws Exception {
    Session session = Session.getInstance(wiring(protocol, context(engine)));
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(Postfix.USER));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(Postfix.USER));
    message.setSubject(subject);
    message.setText("sent by the MailTLS Postfix interop test\n");
    Transport transport = session.getTransport(protocol);
    try {
      transport.connect("localhost", port, Postfix.USER, Postfix.PASSWORD);
      transport.sendMessage(message, message.getAllRecipients());
    } finally {
      transport.close();
    }
  }

  /**
   * The README's Angus properties for {@code protocol}: "smtps" (implicit TLS) or "smtp" with
   * STARTTLS required (Angus layers TLS with {@code mail.smtp.ssl.socketFactory}); plus AUTH, the
   * EHLO name and timeouts.
   */
  private static Properties wiring(String protocol, SSLContext ctx) {
    Properties props = new Properties();
    String p = "mail." + protocol + ".";
    props.put(p + "ssl.socketFactory", ctx.getSocketFactory()); // an object: put, not setProperty
    props.put(p + "socketFactory.fallback", "false");
    if ("smtp".equals(protocol)) {
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    }
    props.put(p + "auth", "true");
    props.put(p + "localhost", "client.mailtls.test"); // the EHLO argument; no lookup of this host's name
    props.put(p + "connectiontimeout", "10000");
    props.put(p + "timeout", "10000");
    return props;
  }

  /** The README's context: MailTLS provider on {@code engine}, trusting only the test PKI's root. */
  private static SSLContext context(JsseEngine engine) throws GeneralSecurityException {
    MailTlsProvider provider = new MailTlsProvider(engine);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(pki.trustStore());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
