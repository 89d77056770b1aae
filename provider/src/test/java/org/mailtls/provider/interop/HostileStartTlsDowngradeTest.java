package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.AngusClients.carriesPassword;
import static org.mailtls.provider.interop.AngusClients.describe;
import static org.mailtls.provider.interop.HostileStartTlsServers.HOST;
import static org.mailtls.provider.interop.HostileStartTlsServers.PASSWORD;
import static org.mailtls.provider.interop.HostileStartTlsServers.USER;

import jakarta.mail.MessagingException;
import jakarta.mail.Service;
import jakarta.mail.Session;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTls;
import org.mailtls.provider.angus.AngusProperties;
import org.mailtls.provider.interop.HostileMailScripts.Imap;
import org.mailtls.provider.interop.HostileMailScripts.Pop3;
import org.mailtls.provider.interop.HostileMailScripts.Smtp;
import org.mailtls.provider.interop.HostileMailScripts.StartTlsAnswer;
import org.mailtls.provider.interop.HostileStartTlsServers.Conversation;
import org.mailtls.provider.interop.HostileStartTlsServers.End;
import org.mailtls.provider.interop.HostileStartTlsServers.Script;
import org.mailtls.provider.interop.HostileStartTlsServers.Server;

/**
 * STL-05 (no silent downgrade) against Angus Mail 2.0.5 with {@code starttls.enable=true} and
 * {@code starttls.required=true} over MailTLS (fallback off): a server that does not offer
 * STARTTLS, one that refuses it, and one whose TLS fails must each end the connection with no
 * credentials sent. Checked on the server's record of every line: before TLS only the capability
 * query (CAPABILITY / EHLO / CAPA) and at most LOGOUT / QUIT.
 *
 * <p>What Angus does by itself (2.0.5 byte code): {@code IMAPStore.login} throws "STARTTLS required
 * but not supported by server" before any LOGIN/AUTHENTICATE; {@code SMTPTransport.protocolConnect}
 * throws "STARTTLS is required but host does not support STARTTLS" after EHLO; {@code
 * POP3 Protocol} throws "STLS required but server doesn't support STLS" before USER/PASS. A refused
 * STARTTLS or a failed handshake is an exception on all three. So Angus meets STL-05 when {@code
 * starttls.required=true}; the controls show that with only {@code starttls.enable=true} (the
 * setting many users stop at) the password goes out in cleartext, which proves the checks here can
 * fail.
 */
@Timeout(60)
class HostileStartTlsDowngradeTest {
  private static final Set<String> IMAP_ALLOWED = Set.of("CAPABILITY", "LOGOUT");
  private static final Set<String> SMTP_ALLOWED = Set.of("EHLO", "QUIT");
  private static final Set<String> POP3_ALLOWED = Set.of("CAPA", "QUIT");

  static Imap imapWithoutStartTls(boolean capabilityInGreeting) {
    Imap s = new Imap();
    s.greeting = capabilityInGreeting ? "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready" : "* OK ready";
    s.capsBeforeTls = "IMAP4rev1 AUTH=PLAIN";
    return s;
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void imap_noStartTlsAdvertised_failsBeforeLogin(JsseEngine engine) throws Exception {
    for (boolean inGreeting : new boolean[] {true, false}) {
      Conversation c = refused(imapWithoutStartTls(inGreeting), "imap", engine, "STARTTLS required");
      assertOnly(IMAP_ALLOWED, c.cleartextCommands(true), c);
      assertEquals(!inGreeting, c.cleartextCommands(true).contains("CAPABILITY"), c.toString());
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void imap_startTlsRefused_failsBeforeLogin(JsseEngine engine) throws Exception {
    Imap s = new Imap();
    s.startTls = StartTlsAnswer.REFUSE;
    Conversation c = refused(s, "imap", engine, "STARTTLS");
    assertOnly(Set.of("STARTTLS", "LOGOUT"), c.cleartextCommands(true), c);
  }

  /** The server accepts STARTTLS but shows a certificate for another name: MailTLS refuses, no LOGIN. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void imap_handshakeRefusedByMailTls_failsBeforeLogin(JsseEngine engine) throws Exception {
    SSLContext wrongName = HostileStartTlsServers.serverTls(
        HostileStartTlsServers.PKI.leaf().addDnsName("other.example.net").build());
    try (Server server = Server.start(wrongName, new Imap())) {
      Service store = Session.getInstance(angusAlone("imap", engine)).getStore("imap");
      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect(HOST, server.port(), USER, PASSWORD));
      assertEquals("R7817-C-01", MailTls.decisionOf(e).orElseThrow(() -> new AssertionError(describe(e))).rule());
      Conversation c = server.await(0);
      assertOnly(Set.of("STARTTLS"), c.cleartextCommands(true), c);
      assertFalse(c.tlsEstablished(), c.toString());
      assertEquals(1, server.accepted(), "no second connection");
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void smtp_noStartTlsAdvertised_failsAfterEhlo(JsseEngine engine) throws Exception {
    Smtp s = new Smtp();
    s.extensionsBeforeTls = List.of("AUTH PLAIN LOGIN", "8BITMIME");
    Conversation c = refused(s, "smtp", engine, "STARTTLS is required");
    assertOnly(SMTP_ALLOWED, c.cleartextCommands(false), c);
  }

  @Test
  void smtp_startTlsRefused_failsBeforeAuth() throws Exception {
    Smtp s = new Smtp();
    s.extensionsBeforeTls = List.of("STARTTLS", "AUTH PLAIN LOGIN");
    s.startTls = StartTlsAnswer.REFUSE;
    Conversation c = refused(s, "smtp", JsseEngine.BCJSSE, "454");
    assertOnly(Set.of("EHLO", "STARTTLS", "QUIT"), c.cleartextCommands(false), c);
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void pop3_noStlsAdvertised_failsBeforeUser(JsseEngine engine) throws Exception {
    Pop3 s = new Pop3();
    s.capsBeforeTls = List.of("USER", "UIDL");
    Conversation c = refused(s, "pop3", engine, "STLS");
    assertOnly(POP3_ALLOWED, c.cleartextCommands(false), c);
  }

  @Test
  void pop3_stlsRefused_failsBeforeUser() throws Exception {
    Pop3 s = new Pop3();
    s.startTls = StartTlsAnswer.REFUSE;
    Conversation c = refused(s, "pop3", JsseEngine.BCJSSE, "");
    assertOnly(Set.of("CAPA", "STLS", "QUIT"), c.cleartextCommands(false), c);
  }

  /** The same three servers through {@link AngusProperties}: refused the same way. */
  @Test
  void angusProperties_noStartTls_failsBeforeLoginOnAllThree() throws Exception {
    SSLContext ctx = HostileStartTlsServers.mailTlsClient(JsseEngine.BCJSSE);
    Object[][] cases = {
      {imapWithoutStartTls(false), "imap", AngusProperties.forImapStartTls(ctx, HOST), IMAP_ALLOWED, true},
      {noStartTlsSmtp(), "smtp", AngusProperties.forSubmissionStartTls(ctx, HOST), SMTP_ALLOWED, false},
      {noStlsPop3(), "pop3", AngusProperties.forPop3StartTls(ctx, HOST), POP3_ALLOWED, false},
    };
    for (Object[] k : cases) {
      String protocol = (String) k[1];
      Conversation c = refused((Script) k[0], protocol, AngusClients.withTestSettings((Properties) k[2], protocol), "");
      @SuppressWarnings("unchecked")
      Set<String> allowed = (Set<String>) k[3];
      assertOnly(allowed, c.cleartextCommands((Boolean) k[4]), c);
    }
  }

  // ---- controls: the same servers with only starttls.enable=true (opportunistic) -------------

  @Test
  void control_imapOpportunistic_sendsPasswordInCleartext() throws Exception {
    assertLeaks(imapWithoutStartTls(true), "imap", "AUTHENTICATE"); // AUTH=PLAIN was advertised
  }

  @Test
  void control_smtpOpportunistic_sendsAuthInCleartext() throws Exception {
    assertLeaks(noStartTlsSmtp(), "smtp", "AUTH");
  }

  @Test
  void control_pop3Opportunistic_sendsPassInCleartext() throws Exception {
    assertLeaks(noStlsPop3(), "pop3", "PASS");
  }

  // ---------------------------------------------------------------------------------------------

  private static Smtp noStartTlsSmtp() {
    Smtp s = new Smtp();
    s.extensionsBeforeTls = List.of("AUTH PLAIN LOGIN", "8BITMIME");
    return s;
  }

  private static Pop3 noStlsPop3() {
    Pop3 s = new Pop3();
    s.capsBeforeTls = List.of("USER", "UIDL");
    return s;
  }

  static Properties angusAlone(String protocol, JsseEngine engine) throws Exception {
    return AngusClients.startTls(protocol, HostileStartTlsServers.mailTlsClient(engine).getSocketFactory());
  }

  private static Conversation refused(Script script, String protocol, JsseEngine engine, String message)
      throws Exception {
    return refused(script, protocol, angusAlone(protocol, engine), message);
  }

  /** Connects with {@code props}; the connection must fail, once, with no credentials and no TLS. */
  static Conversation refused(Script script, String protocol, Properties props, String message) throws Exception {
    try (Server server = Server.start(script)) {
      MessagingException e = assertThrows(MessagingException.class, () -> connect(props, protocol, server.port()));
      assertTrue(describe(e).contains(message), describe(e));
      Conversation c = server.await(0);
      assertFalse(carriesPassword(c.cleartextLines()), "credentials in cleartext: " + c);
      assertFalse(c.tlsEstablished(), c.toString());
      assertNotEquals(End.TIMEOUT, c.end(), "the client must close the connection: " + c);
      assertEquals(1, server.accepted(), "no second connection");
      return c;
    }
  }

  private static void assertLeaks(Script script, String protocol, String command) throws Exception {
    Properties props = angusAlone(protocol, JsseEngine.BCJSSE);
    props.put("mail." + protocol + ".starttls.required", "false");
    try (Server server = Server.start(script)) {
      connect(props, protocol, server.port()).close();
      Conversation c = server.await(0);
      assertTrue(carriesPassword(c.cleartextLines()), "the control must leak: " + c);
      boolean tagged = protocol.equals("imap");
      assertTrue(c.cleartextCommands(tagged).contains(command), c.toString());
    }
  }

  private static Service connect(Properties props, String protocol, int port) throws MessagingException {
    Session session = Session.getInstance(props);
    Service service = protocol.startsWith("smtp") ? session.getTransport(protocol) : session.getStore(protocol);
    service.connect(HOST, port, USER, PASSWORD);
    return service;
  }

  static void assertOnly(Set<String> allowed, List<String> commands, Conversation c) {
    for (String command : commands) {
      assertTrue(allowed.contains(command), "unexpected cleartext command " + command + " (allowed " + allowed
          + "): " + c);
    }
  }
}
