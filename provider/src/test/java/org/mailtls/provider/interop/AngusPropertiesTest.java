package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.AngusClients.carriesPassword;
import static org.mailtls.provider.interop.AngusClients.describe;
import static org.mailtls.provider.interop.HostileStartTlsServers.HOST;
import static org.mailtls.provider.interop.HostileStartTlsServers.PASSWORD;
import static org.mailtls.provider.interop.HostileStartTlsServers.USER;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Service;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTls;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.provider.angus.AngusProperties;
import org.mailtls.provider.interop.HostileMailScripts.Imap;
import org.mailtls.provider.interop.HostileMailScripts.Pop3;
import org.mailtls.provider.interop.HostileMailScripts.Smtp;
import org.mailtls.provider.interop.HostileStartTlsServers.Conversation;
import org.mailtls.provider.interop.HostileStartTlsServers.Script;
import org.mailtls.provider.interop.HostileStartTlsServers.Server;

/**
 * {@link AngusProperties}: the exact keys of each variant, input validation, real logins with
 * Angus Mail 2.0.5 over MailTLS on both engines against the scripted servers (implicit TLS and
 * STARTTLS, IMAP, POP3, submission), and a wrong-name server refused once with MailTLS's decision
 * (the fallback trap closed; {@link AngusFallbackTrapTest} shows it open without these settings).
 */
@Timeout(90)
class AngusPropertiesTest {
  enum Variant {
    IMAPS("imaps", 993, AngusProperties::forImaps),
    IMAP_STARTTLS("imap", 143, AngusProperties::forImapStartTls),
    POP3S("pop3s", 995, AngusProperties::forPop3s),
    POP3_STARTTLS("pop3", 110, AngusProperties::forPop3StartTls),
    SUBMISSIONS("smtps", 465, AngusProperties::forSubmissions),
    SUBMISSION_STARTTLS("smtp", 587, AngusProperties::forSubmissionStartTls);

    final String protocol;
    final int port;
    final BiFunction<SSLContext, String, Properties> call;

    Variant(String protocol, int port, BiFunction<SSLContext, String, Properties> call) {
      this.protocol = protocol;
      this.port = port;
      this.call = call;
    }

    boolean startTls() {
      return !protocol.endsWith("s");
    }

    boolean transport() {
      return protocol.startsWith("smtp");
    }

    /** A well-behaved server for this variant (implicit TLS: TLS first, then the protocol). */
    Script server() {
      Script s;
      if (protocol.startsWith("imap")) {
        Imap imap = new Imap();
        imap.greeting = startTls() ? imap.greeting : "* OK [CAPABILITY IMAP4rev1] ready";
        s = imap;
      } else if (protocol.startsWith("pop3")) {
        s = new Pop3();
      } else {
        s = new Smtp();
      }
      return startTls() ? s : c -> {
        if (c.startTls()) {
          s.run(c);
        }
      };
    }

    Properties props(SSLContext ctx, int serverPort) {
      Properties p = call.apply(ctx, HOST);
      p.put("mail." + protocol + ".port", String.valueOf(serverPort));
      return AngusClients.withTestSettings(p, protocol);
    }
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void keys_exactlyTheDocumentedOnes(Variant v) throws Exception {
    SSLContext ctx = HostileStartTlsServers.mailTlsClient(JsseEngine.BCJSSE);
    Properties props = v.call.apply(ctx, "mail.example.net");
    String p = "mail." + v.protocol;
    Set<String> expected = new HashSet<>(Set.of(p + ".ssl.socketFactory", p + ".socketFactory.fallback",
        p + ".ssl.checkserveridentity", p + ".connectiontimeout", p + ".timeout", p + ".host", p + ".port"));
    expected.addAll(v.transport() ? Set.of("mail.transport.protocol", "mail.transport.protocol.rfc822")
        : Set.of("mail.store.protocol"));
    if (v.startTls()) {
      expected.addAll(Set.of(p + ".socketFactory", p + ".starttls.enable", p + ".starttls.required"));
    }
    assertEquals(expected, props.keySet());

    assertInstanceOf(SSLSocketFactory.class, props.get(p + ".ssl.socketFactory"));
    assertTrue(props.get(p + ".ssl.socketFactory").toString().startsWith("MailTlsSocketFactory"));
    assertEquals("false", props.get(p + ".socketFactory.fallback"));
    assertEquals("true", props.get(p + ".ssl.checkserveridentity"));
    assertEquals(String.valueOf(AngusProperties.CONNECTION_TIMEOUT.toMillis()), props.get(p + ".connectiontimeout"));
    assertEquals(String.valueOf(AngusProperties.READ_TIMEOUT.toMillis()), props.get(p + ".timeout"));
    assertEquals("mail.example.net", props.get(p + ".host"));
    assertEquals(String.valueOf(v.port), props.get(p + ".port"));
    assertEquals(v.protocol, props.get(v.transport() ? "mail.transport.protocol" : "mail.store.protocol"));
    if (v.startTls()) {
      assertEquals("true", props.get(p + ".starttls.enable"));
      assertEquals("true", props.get(p + ".starttls.required"));
      Object guard = props.get(p + ".socketFactory");
      assertInstanceOf(SocketFactory.class, guard);
      assertFalse(guard instanceof SSLSocketFactory, "a plain factory, or Angus would start TLS at once");
    }
    assertNotSame(props, v.call.apply(ctx, "mail.example.net"), "a new Properties per call");
  }

  @Test
  void inputs_validatedWithMessages() throws Exception {
    SSLContext ctx = HostileStartTlsServers.mailTlsClient(JsseEngine.BCJSSE);
    NullPointerException host = assertThrows(NullPointerException.class, () -> AngusProperties.forImaps(ctx, null));
    assertTrue(host.getMessage().startsWith("host"), host.getMessage());
    NullPointerException context = assertThrows(NullPointerException.class,
        () -> AngusProperties.forImapStartTls(null, HOST));
    assertTrue(context.getMessage().startsWith("mailTls"), context.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AngusProperties.forPop3s(ctx, " "));

    SSLContext jdk = SSLContext.getInstance("TLS");
    jdk.init(null, null, null);
    IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
        () -> AngusProperties.forSubmissions(jdk, HOST));
    assertTrue(foreign.getMessage().contains("not a MailTLS SSLContext"), foreign.getMessage());

    SSLContext uninitialised = SSLContext.getInstance("MailTLS", new MailTlsProvider());
    assertThrows(IllegalStateException.class, () -> AngusProperties.forSubmissionStartTls(uninitialised, HOST));
  }

  /** A real login (and a mailbox read or a submission) with nothing but the helper's properties. */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void wellBehavedServer_logsInOverMailTls(Variant v) throws Exception {
    for (JsseEngine engine : JsseEngine.values()) {
      try (Server server = Server.start(v.server())) {
        Session session = Session.getInstance(v.props(HostileStartTlsServers.mailTlsClient(engine), server.port()));
        if (v.transport()) {
          MimeMessage m = new MimeMessage(session);
          m.setFrom(new InternetAddress("alice@localhost"));
          m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@localhost"));
          m.setSubject("AngusProperties " + v);
          m.setText("over MailTLS");
          Transport.send(m, USER, PASSWORD); // protocol, host and port from the properties
        } else {
          Store store = session.getStore(); // protocol from mail.store.protocol
          store.connect(USER, PASSWORD); // host and port from the properties
          Folder inbox = store.getFolder("INBOX");
          inbox.open(Folder.READ_ONLY);
          assertEquals(0, inbox.getMessageCount());
          inbox.close(false);
          store.close();
        }
        Conversation c = server.await(0);
        assertTrue(c.tlsEstablished(), engine + ": " + c);
        assertTrue(carriesPassword(c.tlsLines()), "logged in over TLS: " + c);
        assertFalse(carriesPassword(c.cleartextLines()), c.toString());
        if (v.transport()) {
          assertTrue(c.tlsLines().contains("DATA"), c.toString());
        }
      }
    }
  }

  /** A certificate for another name: refused by MailTLS, once, with its decision; no credentials. */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void wrongNameServer_refusedOnceWithMailTlsDecision(Variant v) throws Exception {
    SSLContext wrongName = HostileStartTlsServers.serverTls(
        HostileStartTlsServers.PKI.leaf().addDnsName("other.example.net").build());
    try (Server server = Server.start(wrongName, v.server())) {
      Session session = Session.getInstance(v.props(HostileStartTlsServers.mailTlsClient(JsseEngine.BCJSSE),
          server.port()));
      Service service = v.transport() ? session.getTransport() : session.getStore();
      MessagingException e = assertThrows(MessagingException.class, () -> service.connect(USER, PASSWORD));
      assertEquals("R7817-C-01",
          MailTls.decisionOf(e).orElseThrow(() -> new AssertionError(describe(e))).rule());
      Conversation c = server.await(0);
      assertFalse(c.tlsEstablished(), c.toString());
      assertFalse(carriesPassword(c.cleartextLines()), c.toString());
      assertEquals(1, server.accepted(), "no fallback connection");
      assertEquals(List.of(), c.tlsLines());
    }
  }
}
