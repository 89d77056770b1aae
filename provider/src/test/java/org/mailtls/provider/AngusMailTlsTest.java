package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.MailService;
import org.mailtls.testing.TestPki;
import org.opentest4j.AssertionFailedError;

/**
 * Angus Mail 2.0.5 (IMAPS, SMTPS) using a MailTLS {@code SSLSocketFactory} against GreenMail 2.1.13
 * on loopback, with real handshakes on BCJSSE and SunJSSE.
 *
 * <p>The wiring is the README's, and it was checked against the Angus Mail 2.0.5 byte code
 * ({@code org.eclipse.angus.mail.util.SocketFetcher}); for {@code <p>} = {@code imaps} or {@code
 * smtps}:
 *
 * <ul>
 *   <li>{@code mail.<p>.ssl.socketFactory} (a {@code SocketFactory} object, {@code Properties.get})
 *       is looked up first when the protocol is SSL; then {@code mail.<p>.ssl.socketFactory.class};
 *       only if both are absent {@code mail.<p>.socketFactory} / {@code .socketFactory.class}. So
 *       {@code .ssl.socketFactory} is the right key for imaps/smtps; {@code .socketFactory} works
 *       too but only as the second choice.
 *   <li>{@code mail.<p>.ssl.enable} is not needed: the {@code imaps} and {@code smtps} providers
 *       ({@code IMAPSSLStore}, {@code SMTPSSLTransport}) pass {@code isSSL = true}; the property is
 *       only read when that is false (plain {@code imap}/{@code smtp} with implicit TLS).
 *   <li>{@code mail.<p>.socketFactory.fallback} defaults to {@code true}: {@code getSocket} catches
 *       any {@code Exception} (except {@code SocketTimeoutException}) thrown while creating,
 *       connecting or handshaking the socket from the configured factory, and when fallback is on
 *       discards it and calls {@code createSocket(..., sf = null, ...)}: a plain {@code Socket}
 *       connected again, then layered with {@code MailSSLSocketFactory} if {@code mail.<p>.ssl.trust}
 *       is set, else {@code SSLSocketFactory.getDefault()}. MailTLS is then out of the loop, and its
 *       refusal is lost (not even suppressed). {@link Fallback} demonstrates it. With {@code
 *       false} an {@code IOException} is rethrown as is (other exceptions wrapped in {@code
 *       SocketConnectException}), so the caller gets MailTLS's refusal in the cause chain.
 *   <li>{@code mail.<p>.ssl.checkserveridentity} defaults to {@code true}. In 2.0.5 it does not run
 *       a check after the handshake: before {@code startHandshake()} it sets {@code
 *       SSLParameters.setEndpointIdentificationAlgorithm("LDAPS")} (or {@code null} when false) on
 *       the socket. After the handshake only a {@code HostnameVerifier} from {@code
 *       mail.<p>.ssl.hostnameverifier} / {@code .ssl.hostnameverifier.class} runs, and there is none
 *       by default. Both engines leave endpoint identification to an {@code
 *       X509ExtendedTrustManager}, which MailTLS's is, and MailTLS ignores the algorithm, so the
 *       default is a no-op on MailTLS sockets ({@link ServerIdentityProperty} proves it with a
 *       certificate that MailTLS accepts and "LDAPS" would refuse). The README therefore leaves it
 *       at the default: setting it to {@code false} gains nothing and removes the JDK's name check
 *       from any non-MailTLS socket Angus may end up with (fallback, {@code ssl.trust}).
 *   <li>{@code mail.<p>.ssl.trust} takes precedence over the configured factory (not only on the
 *       fallback path): when it is set, Angus layers TLS with its own {@code MailSSLSocketFactory}
 *       and MailTLS is never used. {@link SslTrust} demonstrates it.
 * </ul>
 *
 * <p>Reference identity: for an {@code SSLSocketFactory} Angus never calls {@code createSocket()}
 * or {@code createSocket(host, port)}; it connects a plain {@code Socket} to {@code new
 * InetSocketAddress(host, port)} and layers TLS with {@code factory.createSocket(socket, host,
 * port, true)}. MailTLS therefore checks the host string given to {@code Store.connect} / {@code
 * mail.smtps.host} ("localhost" here), never the resolved address.
 */
@Timeout(120)
@Execution(ExecutionMode.SAME_THREAD) // the servers' connection counters are shared by all tests
class AngusMailTlsTest {
  private static final String LOGIN = "alice";
  private static final String PASSWORD = "secret";
  private static final String EMAIL = "alice@localhost";
  private static final String INBOX_SUBJECT = "MailTLS interop " + UUID.randomUUID();
  private static final String WRONG_NAME = "other.example.net";
  private static final Duration ARRIVAL = Duration.ofSeconds(10);

  private static TestPki pki;
  /** Serves a leaf for dNSName "localhost", the host the client connects to. */
  private static GreenMailTlsServer good;
  /** Serves a leaf for dNSName "other.example.net" only. */
  private static GreenMailTlsServer wrongName;
  /** Serves a leaf for dNSName "example.net" only: the email domain of {@link ServerIdentityProperty}'s account. */
  private static GreenMailTlsServer emailDomainOnly;

  @BeforeAll
  static void startServers() throws Exception {
    pki = TestPki.create();
    good = GreenMailTlsServer.start(pki.leaf().addDnsName("localhost").build());
    wrongName = GreenMailTlsServer.start(pki.leaf().addDnsName(WRONG_NAME).build());
    emailDomainOnly = GreenMailTlsServer.start(pki.leaf().addDnsName("example.net").build());
    for (GreenMailTlsServer s : new GreenMailTlsServer[] {good, wrongName, emailDomainOnly}) {
      GreenMailUser user = s.addUser(EMAIL, LOGIN, PASSWORD);
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
      m.setFrom(new InternetAddress("sender@localhost"));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress(EMAIL));
      m.setSubject(INBOX_SUBJECT);
      m.setText("delivered by the test");
      m.saveChanges();
      user.deliver(m);
    }
  }

  @AfterAll
  static void stopServers() {
    for (GreenMailTlsServer s : new GreenMailTlsServer[] {good, wrongName, emailDomainOnly}) {
      if (s != null) {
        s.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class Imaps {
    /** Test 1: the README wiring reads the INBOX over a MailTLS connection. */
    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void readsInboxThroughMailTls(JsseEngine engine) throws Exception {
      SSLContext ctx = readmeContext(engine);
      int handshakesBefore = good.imaps().handshakes();

      assertEquals(INBOX_SUBJECT, readFirstSubject(wiring("imaps", ctx.getSocketFactory()), good));

      assertTrue(good.imaps().awaitHandshakes(handshakesBefore + 1, ARRIVAL) > handshakesBefore);
    }

    /**
     * Test 2: a certificate for another name is refused inside the handshake; Angus keeps the cause,
     * so {@link MailTls#decisionOf(Throwable)} finds R7817-C-01; with fallback off there is exactly
     * one connection and it never completes a handshake.
     */
    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void refusesWrongNameWithoutFallback(JsseEngine engine) throws Exception {
      SSLContext ctx = readmeContext(engine);
      Store store = Session.getInstance(wiring("imaps", ctx.getSocketFactory())).getStore("imaps");
      int acceptedBefore = wrongName.imaps().accepted();
      int handshakesBefore = wrongName.imaps().handshakes();

      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect("localhost", wrongName.imaps().getPort(), LOGIN, PASSWORD));

      TrustDecision.Refused refusal = refusalIn(e);
      assertEquals("R7817-C-01", refusal.rule(), refusal.message());
      assertTrue(refusal.message().contains(WRONG_NAME), refusal.message());
      assertTrue(refusal.peer().startsWith("localhost"), refusal.peer());
      // Both engines: Angus shows MailTLS's message, and the cause is an SSLHandshakeException
      // (BCJSSE's own TlsFatalAlert is not an SSLException; MailTLS translates it).
      assertTrue(e.getMessage().contains("MailTLS refused"), e.getMessage());
      assertTrue(e.getCause() instanceof javax.net.ssl.SSLHandshakeException, String.valueOf(e.getCause()));
      assertFalse(store.isConnected());
      assertEquals(1, wrongName.imaps().accepted() - acceptedBefore, "connections: no fallback retry");
      assertEquals(0, wrongName.imaps().handshakes() - handshakesBefore, "no handshake may complete");
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Nested
  class Smtps {
    /** Test 3: {@code Transport.send} through {@code mail.smtps.*} delivers to GreenMail. */
    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void sendsThroughMailTls(JsseEngine engine) throws Exception {
      SSLContext ctx = readmeContext(engine);
      Session session = Session.getInstance(smtpsSession(ctx.getSocketFactory(), good));
      String subject = "submitted " + engine + " " + UUID.randomUUID();

      Transport.send(message(session, subject));

      Optional<MimeMessage> arrived = good.awaitMessage(subject, ARRIVAL);
      assertTrue(arrived.isPresent(), "message did not arrive in GreenMail");
      assertEquals("bob@localhost", arrived.get().getRecipients(Message.RecipientType.TO)[0].toString());
    }

    /** Test 3, negative: the wrong-name SMTPS server is refused, once, and nothing is submitted. */
    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void refusesWrongName(JsseEngine engine) throws Exception {
      SSLContext ctx = readmeContext(engine);
      Session session = Session.getInstance(smtpsSession(ctx.getSocketFactory(), wrongName));
      String subject = "must not arrive " + engine + " " + UUID.randomUUID();
      int acceptedBefore = wrongName.smtps().accepted();
      int handshakesBefore = wrongName.smtps().handshakes();

      MessagingException e = assertThrows(MessagingException.class, () -> Transport.send(message(session, subject)));

      TrustDecision.Refused refusal = refusalIn(e);
      assertEquals("R7817-C-01", refusal.rule(), refusal.message());
      assertEquals(1, wrongName.smtps().accepted() - acceptedBefore, "connections: no fallback retry");
      assertEquals(0, wrongName.smtps().handshakes() - handshakesBefore, "no handshake may complete");
      assertFalse(wrongName.awaitMessage(subject, Duration.ZERO).isPresent());
    }

    private Properties smtpsSession(SSLSocketFactory factory, GreenMailTlsServer server) {
      Properties props = wiring("smtps", factory);
      props.put("mail.transport.protocol.rfc822", "smtps"); // Transport.send picks smtps, not smtp
      props.put("mail.smtps.host", "localhost");
      props.put("mail.smtps.port", String.valueOf(server.smtps().getPort()));
      props.put("mail.smtps.localhost", "localhost"); // EHLO name; no lookup of this machine's name
      return props;
    }

    private MimeMessage message(Session session, String subject) throws MessagingException {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(EMAIL));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@localhost"));
      m.setSubject(subject);
      m.setText("submitted over MailTLS");
      return m;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Test 4: why {@code mail.<p>.socketFactory.fallback} must be {@code false}. With Angus's default
   * ({@code true}) a MailTLS refusal is not an error: {@code SocketFetcher.getSocket} swallows it
   * (not even as a suppressed exception) and connects a second time with {@code sf = null}, i.e.
   * a plain socket layered with {@code SSLSocketFactory.getDefault()} (or with Angus's {@code
   * MailSSLSocketFactory} when {@code mail.<p>.ssl.trust} is set, see {@link SslTrust}).
   *
   * <p>This JVM's default trust store does not trust the test CA, so here the retry fails too, but
   * with the JDK's PKIX error instead of MailTLS's decision. A user whose JVM trust store (cacerts,
   * or {@code javax.net.ssl.trustStore}) does trust the server's CA would be connected by the
   * retry: with {@code checkserveridentity} at its default ({@code true}) the JDK's LDAPS name check
   * would still refuse a wrong name, but every other MailTLS rule (RFC 7817 name rules such as no
   * CN fallback and strict wildcards, TLS and key floors, pins, account scoping) would be gone, and
   * with {@code checkserveridentity=false} nothing would check the name at all. That outcome is
   * reproduced in {@code interop.AngusFallbackTrapTest}, which installs (and restores) a JVM default
   * {@code SSLContext} trusting the test CA: a CN-only certificate MailTLS refuses is then accepted
   * through the fallback and the password reaches the server.
   */
  @Nested
  class Fallback {
    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void fallbackReplacesTheRefusalWithTheJvmDefaultError(JsseEngine engine) throws Exception {
      Properties props = wiring("imaps", readmeContext(engine).getSocketFactory());
      props.remove("mail.imaps.socketFactory.fallback"); // Angus default: true
      Store store = Session.getInstance(props).getStore("imaps");
      int acceptedBefore = wrongName.imaps().accepted();

      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect("localhost", wrongName.imaps().getPort(), LOGIN, PASSWORD));

      assertEquals(2, wrongName.imaps().accepted() - acceptedBefore, "the fallback connects a second time");
      assertFalse(MailTls.decisionOf(e).isPresent(), "MailTLS's refusal was discarded: " + describe(e));
      assertTrue(causeOfType(e, CertPathBuilderException.class), "JVM default trust store failed: " + describe(e));
    }

    /** The same with the property spelled out as "true". */
    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void explicitTrueIsTheSame(JsseEngine engine) throws Exception {
      Properties props = wiring("imaps", readmeContext(engine).getSocketFactory());
      props.put("mail.imaps.socketFactory.fallback", "true");
      Store store = Session.getInstance(props).getStore("imaps");
      int acceptedBefore = wrongName.imaps().accepted();

      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect("localhost", wrongName.imaps().getPort(), LOGIN, PASSWORD));

      assertEquals(2, wrongName.imaps().accepted() - acceptedBefore);
      assertFalse(MailTls.decisionOf(e).isPresent(), describe(e));
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * {@code mail.<p>.ssl.trust} silently replaces the MailTLS factory, fallback or not. For an
   * {@code SSLSocketFactory} Angus 2.0.5 never calls {@code sf.createSocket()}: it connects a plain
   * {@code Socket} and then layers TLS with {@code ssf.createSocket(socket, host, port, true)},
   * where {@code ssf} is a new {@code MailSSLSocketFactory} whenever {@code mail.<p>.ssl.trust} is
   * set, and the configured factory only otherwise ({@code SocketFetcher.createSocket}). For a host
   * list that factory's trust manager checks no certificate at all; the only check left is the
   * JDK's LDAPS name check from {@code checkserveridentity} (default {@code true}). So the README
   * must tell users to remove {@code mail.<p>.ssl.trust}.
   */
  @Nested
  class SslTrust {
    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void sslTrustBypassesMailTlsEvenWithoutFallback(JsseEngine engine) throws Exception {
      Properties props = wiring("imaps", readmeContext(engine).getSocketFactory()); // fallback=false
      props.put("mail.imaps.ssl.trust", "localhost"); // a common "make the certificate error go away" setting
      props.put("mail.imaps.ssl.checkserveridentity", "false"); // as the draft README had it
      int acceptedBefore = wrongName.imaps().accepted();
      int handshakesBefore = wrongName.imaps().handshakes();

      // The server test 2 shows MailTLS refusing: Angus connects (once, no retry) and reads the mailbox.
      assertEquals(INBOX_SUBJECT, readFirstSubject(props, wrongName));

      assertEquals(1, wrongName.imaps().accepted() - acceptedBefore, "one connection, never through MailTLS");
      assertEquals(handshakesBefore + 1, wrongName.imaps().awaitHandshakes(handshakesBefore + 1, ARRIVAL));
    }

    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void withDefaultCheckServerIdentityOnlyTheJdkNameCheckIsLeft(JsseEngine engine) throws Exception {
      Properties props = wiring("imaps", readmeContext(engine).getSocketFactory()); // fallback=false
      props.put("mail.imaps.ssl.trust", "localhost");
      Store store = Session.getInstance(props).getStore("imaps");
      int acceptedBefore = wrongName.imaps().accepted();

      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect("localhost", wrongName.imaps().getPort(), LOGIN, PASSWORD));

      assertEquals(1, wrongName.imaps().accepted() - acceptedBefore);
      assertFalse(MailTls.decisionOf(e).isPresent(), "refused by the JDK, not by MailTLS: " + describe(e));
      assertTrue(describe(e).contains("No subject alternative DNS name matching localhost"), describe(e));
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * {@code mail.imaps.ssl.checkserveridentity}: MailTLS accepts a certificate naming only the
   * account's email domain (DNS-ID "example.net" for alice@example.net, RFC 7817 §3 / R7817-C-04),
   * which the LDAPS check against "localhost" would refuse. The connection works with the Angus
   * default and with {@code false}, so the engine never applied "LDAPS" to a MailTLS socket.
   */
  @Nested
  class ServerIdentityProperty {
    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void defaultTrueDoesNotOverrideMailTls(JsseEngine engine) throws Exception {
      Properties props = wiring("imaps", accountContext(engine).getSocketFactory());
      assertFalse(props.containsKey("mail.imaps.ssl.checkserveridentity")); // Angus default: true

      assertEquals(INBOX_SUBJECT, readFirstSubject(props, emailDomainOnly));
    }

    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void explicitTrueAndFalseBehaveAlike(JsseEngine engine) throws Exception {
      for (String value : new String[] {"true", "false"}) {
        Properties props = wiring("imaps", accountContext(engine).getSocketFactory());
        props.put("mail.imaps.ssl.checkserveridentity", value);
        assertEquals(INBOX_SUBJECT, readFirstSubject(props, emailDomainOnly), "checkserveridentity=" + value);
      }
    }

    /**
     * The one Angus knob that does check after the handshake, an explicit hostname verifier, refuses
     * what MailTLS accepted: users must not set {@code mail.imaps.ssl.hostnameverifier(.class)} with
     * MailTLS. Angus's own failure carries no MailTLS decision.
     */
    @ParameterizedTest
    @EnumSource(JsseEngine.class)
    void explicitHostnameVerifierRefusesWhatMailTlsAccepted(JsseEngine engine) throws Exception {
      Properties props = wiring("imaps", accountContext(engine).getSocketFactory());
      props.put("mail.imaps.ssl.hostnameverifier.class", "MailHostnameVerifier");
      Store store = Session.getInstance(props).getStore("imaps");

      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect("localhost", emailDomainOnly.imaps().getPort(), LOGIN, PASSWORD));

      assertFalse(MailTls.decisionOf(e).isPresent(), describe(e));
      assertTrue(describe(e).contains("Unable to check server identity for: localhost"), describe(e));
    }

    /** alice@example.net on endpoint localhost:port: reference identities localhost and example.net. */
    private SSLContext accountContext(JsseEngine engine) throws GeneralSecurityException {
      MailTlsProvider provider = new MailTlsProvider(engine);
      AccountPolicy account = AccountPolicy.builder("alice")
          .emailAddress("alice@example.net")
          .addEndpoint(MailEndpoint.of("localhost", emailDomainOnly.imaps().getPort(), MailService.IMAPS,
              HostProvenance.USER_TYPED))
          .build();
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
      tmf.init(MailTlsParameters.builder().trustStore(pki.trustStore()).account(account).build());
      SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Exactly the README snippet: provider object, MailTLS trust managers over a trust store. */
  static SSLContext readmeContext(JsseEngine engine) throws GeneralSecurityException {
    MailTlsProvider provider = new MailTlsProvider(engine);
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(pki.trustStore());
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * The README's session properties for {@code protocol} ("imaps" or "smtps"), plus timeouts so a
   * broken test fails instead of hanging. {@code checkserveridentity} stays at Angus's default.
   */
  static Properties wiring(String protocol, SSLSocketFactory factory) {
    Properties props = new Properties();
    props.put("mail." + protocol + ".ssl.socketFactory", factory);
    props.put("mail." + protocol + ".socketFactory.fallback", "false");
    props.put("mail." + protocol + ".connectiontimeout", "10000");
    props.put("mail." + protocol + ".timeout", "10000");
    return props;
  }

  /** Connects to {@code server}'s IMAPS as alice at host "localhost" and returns message 1's subject. */
  private static String readFirstSubject(Properties props, GreenMailTlsServer server) throws Exception {
    Store store = Session.getInstance(props).getStore("imaps");
    store.connect("localhost", server.imaps().getPort(), LOGIN, PASSWORD);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        assertEquals(1, inbox.getMessageCount());
        return inbox.getMessage(1).getSubject();
      } finally {
        inbox.close(false);
      }
    } finally {
      store.close();
    }
  }

  private static TrustDecision.Refused refusalIn(Throwable e) {
    return MailTls.decisionOf(e).orElseThrow(
        () -> new AssertionFailedError("no MailTLS refusal in the cause chain: " + describe(e), e));
  }

  private static boolean causeOfType(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t : chain(e)) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The cause chain and suppressed exceptions, one "class: message" per line. */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t : chain(e)) {
      sb.append("\n  ").append(t.getClass().getName()).append(": ").append(t.getMessage());
    }
    return sb.toString();
  }

  private static Iterable<Throwable> chain(Throwable e) {
    Deque<Throwable> todo = new ArrayDeque<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    java.util.List<Throwable> out = new java.util.ArrayList<>();
    todo.add(e);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (seen.put(t, Boolean.TRUE) != null) {
        continue;
      }
      out.add(t);
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      for (Throwable s : t.getSuppressed()) {
        todo.add(s);
      }
    }
    return out;
  }
}
