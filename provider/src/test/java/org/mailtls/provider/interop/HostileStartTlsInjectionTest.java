package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.AngusClients.carriesPassword;
import static org.mailtls.provider.interop.AngusClients.describe;
import static org.mailtls.provider.interop.HostileStartTlsServers.HOST;
import static org.mailtls.provider.interop.HostileStartTlsServers.PASSWORD;
import static org.mailtls.provider.interop.HostileStartTlsServers.USER;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.angus.AngusProperties;
import org.mailtls.provider.interop.HostileMailScripts.Imap;
import org.mailtls.provider.interop.HostileMailScripts.Injection;
import org.mailtls.provider.interop.HostileMailScripts.Smtp;
import org.mailtls.provider.interop.HostileStartTlsServers.Conversation;
import org.mailtls.provider.interop.HostileStartTlsServers.Server;
import org.mailtls.provider.starttls.StartTlsViolationException;

/**
 * STL-04, STARTTLS response injection ("NO STARTTLS", USENIX Security 2021): the server sends its
 * go-ahead together with forged plaintext, {@code a OK Begin TLS\r\n* CAPABILITY ... AUTH=PLAIN
 * XINJECTED\r\nA1 OK ...} (IMAP) or {@code 220 go\r\n250-localhost\r\n250 XINJECTED} (SMTP), and
 * then really does TLS. The forged lines must never be processed as if they came over TLS: checked
 * on what Angus uses afterwards ({@code IMAPStore.hasCapability}, {@code
 * SMTPTransport.supportsExtension}) and on what the server saw (no AUTHENTICATE PLAIN chosen from a
 * forged capability, no password), not only on an exception.
 *
 * <p>What Angus Mail 2.0.5 does by itself: after the go-ahead it replaces its streams ({@code
 * Protocol.startTLS} → {@code initStreams}; {@code SMTPTransport.startTLS} likewise), so whatever its
 * 2 KiB read buffer held is thrown away unread. Injected bytes that arrived with the go-ahead are
 * therefore never processed, but neither noticed: the connection goes on. Bytes that arrive in a
 * later segment, or beyond Angus's 2 KiB buffer, are still in the socket when TLS is layered, and
 * MailTLS's factory refuses (STL-04, the provider-level guard), or they are read by the TLS layer as
 * a broken record (handshake failure).
 *
 * <p>With {@link AngusProperties} the cleartext-phase guard hands Angus only whole lines and never
 * lets it read past the go-ahead, so the injected bytes stay in the socket, and when Angus's TLS
 * layer writes its ClientHello the guard finds them: the connection is closed with {@link
 * StartTlsViolationException} (STL-04) naming exactly the injected byte count, and no handshake, no
 * LOGIN, no AUTH happen. IMAP, SMTP and POP3 (whose {@code InputStreamReader} would otherwise read
 * ahead while {@code available() > 0}).
 */
@Timeout(60)
class HostileStartTlsInjectionTest {
  private static final List<String> IMAP_INJECTED =
      List.of("* CAPABILITY IMAP4rev1 AUTH=PLAIN XINJECTED", "{next} OK CAPABILITY completed");
  /** {@code org.eclipse.angus.mail.iap.ResponseInputStream}: {@code new BufferedInputStream(in, 2 * 1024)}. */
  private static final int ANGUS_READ_BUFFER = 2048;
  private static final List<String> SMTP_INJECTED = List.of("250-localhost", "250-AUTH PLAIN", "250 XINJECTED");

  private static Imap imap(Injection mode) {
    Imap s = new Imap();
    s.injection = mode;
    s.injected = IMAP_INJECTED;
    return s;
  }

  private static Smtp smtp(Injection mode) {
    Smtp s = new Smtp();
    s.injection = mode;
    s.injected = SMTP_INJECTED;
    return s;
  }

  /** Bytes of the injected lines with CRLF, with the tag the client was to use next (IMAP). */
  private static int bytes(List<String> lines, String nextTag) {
    return lines.stream().mapToInt(l -> l.replace("{next}", nextTag).length() + 2).sum();
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void imap_angusAlone_sameWrite_injectionDiscardedUnread(JsseEngine engine) throws Exception {
    try (Server server = Server.start(imap(Injection.SAME_WRITE))) {
      IMAPStore store = (IMAPStore) Session.getInstance(HostileStartTlsDowngradeTest.angusAlone("imap", engine))
          .getStore("imap");
      store.connect(HOST, server.port(), USER, PASSWORD);
      assertFalse(store.hasCapability("XINJECTED"), "an injected capability is in use");
      assertFalse(store.hasCapability("AUTH=PLAIN"), "an injected capability is in use");
      assertTrue(store.hasCapability("XTLS"), "the capabilities asked over TLS are used");
      store.close();
      Conversation c = server.await(0);
      assertTrue(c.tlsLines().get(0).endsWith(" CAPABILITY"), "CAPABILITY really asked over TLS: " + c);
      assertTrue(c.tlsLines().stream().anyMatch(l -> l.contains(" LOGIN ")), "LOGIN, not AUTHENTICATE: " + c);
      assertFalse(carriesPassword(c.cleartextLines()), c.toString());
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void imap_angusProperties_sameWrite_refusedWithTheInjectedByteCount(JsseEngine engine) throws Exception {
    try (Server server = Server.start(imap(Injection.SAME_WRITE))) {
      IMAPStore store = (IMAPStore) Session.getInstance(HostileImapPreauthTest.guarded(engine, server.port()))
          .getStore();
      MessagingException e = assertThrows(MessagingException.class, () -> store.connect(USER, PASSWORD));
      Conversation c = server.await(0);
      String startTlsTag = c.cleartextLines().get(c.cleartextLines().size() - 1).split(" ")[0];
      StartTlsViolationException v = AngusClients.violationIn(e).orElseThrow(() -> new AssertionError(describe(e)));
      assertEquals("STL-04", v.rule(), v.getMessage());
      assertEquals(bytes(IMAP_INJECTED, HostileMailScripts.nextTag(startTlsTag)), v.unreadBytes(), v.getMessage());
      assertTrue(v.getMessage().contains(v.unreadBytes() + " bytes"), v.getMessage());
      assertRefusedBeforeTls(c);
    }
  }

  /**
   * The provider guard with Angus alone: an injection larger than Angus's 2 KiB read buffer ({@code
   * ResponseInputStream}) leaves the rest in the socket, and MailTLS's factory refuses to layer TLS
   * over it, counting exactly the bytes Angus did not read.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void imap_angusAlone_injectionBeyondAngusBuffer_refusedByTheFactory(JsseEngine engine) throws Exception {
    List<String> big = new java.util.ArrayList<>(IMAP_INJECTED);
    for (int i = 0; i < 60; i++) {
      big.add("* OK [ALERT] injected line " + i + " with padding to overflow the client's buffer");
    }
    Imap script = imap(Injection.SAME_WRITE);
    script.injected = big;
    try (Server server = Server.start(script)) {
      IMAPStore store = (IMAPStore) Session.getInstance(HostileStartTlsDowngradeTest.angusAlone("imap", engine))
          .getStore("imap");
      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect(HOST, server.port(), USER, PASSWORD));
      Conversation c = server.await(0);
      String tag = c.cleartextLines().get(c.cleartextLines().size() - 1).split(" ")[0];
      int sent = bytes(List.of(tag + " " + script.goAheadText), "") + bytes(big, HostileMailScripts.nextTag(tag));
      StartTlsViolationException v = AngusClients.violationIn(e).orElseThrow(() -> new AssertionError(describe(e)));
      assertEquals("STL-04", v.rule(), v.getMessage());
      assertEquals(sent - ANGUS_READ_BUFFER, v.unreadBytes(), "what Angus's 2 KiB buffer did not take: " + v);
      assertTrue(v.getMessage().contains("localhost:" + server.port()), "the factory's refusal: " + v.getMessage());
      assertRefusedBeforeTls(c);
    }
  }

  /** Separate writes race the client: discarded unread, refused by the factory, or a failed handshake. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void imap_separateWrites_neverProcessed(JsseEngine engine) throws Exception {
    for (boolean guarded : new boolean[] {false, true}) {
      try (Server server = Server.start(imap(Injection.SEPARATE_WRITES))) {
        Properties props = guarded ? HostileImapPreauthTest.guarded(engine, server.port())
            : HostileStartTlsDowngradeTest.angusAlone("imap", engine);
        IMAPStore store = (IMAPStore) Session.getInstance(props).getStore("imap");
        try {
          store.connect(HOST, server.port(), USER, PASSWORD);
          assertFalse(guarded, "the guard leaves the injected bytes in the socket, where they are refused");
          assertFalse(store.hasCapability("XINJECTED"), "an injected capability is in use");
          assertTrue(store.hasCapability("XTLS"));
          store.close();
          server.await(0);
        } catch (MessagingException e) {
          Optional<StartTlsViolationException> v = AngusClients.violationIn(e);
          assertTrue(v.isPresent() || describe(e).contains("SSL") || describe(e).contains("TLS"), describe(e));
          v.ifPresent(x -> assertEquals("STL-04", x.rule()));
          Conversation c = server.await(0);
          assertFalse(c.tlsEstablished(), "refused or failed before TLS: " + c);
          assertRefusedBeforeTls(c);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void smtp_angusAlone_sameWrite_injectionDiscardedUnread(JsseEngine engine) throws Exception {
    try (Server server = Server.start(smtp(Injection.SAME_WRITE))) {
      SMTPTransport t = (SMTPTransport) Session.getInstance(HostileStartTlsDowngradeTest.angusAlone("smtp", engine))
          .getTransport("smtp");
      t.connect(HOST, server.port(), USER, PASSWORD);
      assertFalse(t.supportsExtension("XINJECTED"), "an injected EHLO line is in use");
      assertTrue(t.supportsExtension("XTLS"), "the EHLO answer over TLS is used");
      t.close();
      Conversation c = server.await(0);
      assertEquals("EHLO localhost", c.tlsLines().get(0), "EHLO really sent over TLS: " + c);
      assertFalse(carriesPassword(c.cleartextLines()), c.toString());
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void smtp_angusProperties_sameWrite_refusedWithTheInjectedByteCount(JsseEngine engine) throws Exception {
    try (Server server = Server.start(smtp(Injection.SAME_WRITE))) {
      Properties props = AngusProperties.forSubmissionStartTls(HostileStartTlsServers.mailTlsClient(engine), HOST);
      props.put("mail.smtp.port", String.valueOf(server.port()));
      SMTPTransport t = (SMTPTransport) Session.getInstance(AngusClients.withTestSettings(props, "smtp"))
          .getTransport();
      MessagingException e = assertThrows(MessagingException.class, () -> t.connect(USER, PASSWORD));
      StartTlsViolationException v = AngusClients.violationIn(e).orElseThrow(() -> new AssertionError(describe(e)));
      assertEquals("STL-04", v.rule(), v.getMessage());
      assertEquals(bytes(SMTP_INJECTED, ""), v.unreadBytes(), v.getMessage());
      Conversation c = server.await(0);
      assertRefusedBeforeTls(c);
      assertEquals(List.of("EHLO", "STARTTLS"), c.cleartextCommands(false), c.toString());
    }
  }

  /** POP3 (RFC 2595 §4): the same with an injected multi-line CAPA answer behind "+OK". */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void pop3_sameWrite_angusAloneDiscards_angusPropertiesRefuses(JsseEngine engine) throws Exception {
    List<String> injected = List.of("+OK injected capability list", "USER", "SASL PLAIN", "XINJECTED", ".");
    for (boolean guarded : new boolean[] {false, true}) {
      HostileMailScripts.Pop3 script = new HostileMailScripts.Pop3();
      script.injection = Injection.SAME_WRITE;
      script.injected = injected;
      try (Server server = Server.start(script)) {
        Properties props = HostileStartTlsDowngradeTest.angusAlone("pop3", engine);
        if (guarded) {
          props = AngusClients.withTestSettings(
              AngusProperties.forPop3StartTls(HostileStartTlsServers.mailTlsClient(engine), HOST), "pop3");
        }
        jakarta.mail.Store store = Session.getInstance(props).getStore("pop3");
        if (!guarded) {
          store.connect(HOST, server.port(), USER, PASSWORD);
          store.close();
          Conversation c = server.await(0);
          assertEquals("CAPA", c.tlsLines().get(0), "CAPA really asked over TLS: " + c);
          assertFalse(carriesPassword(c.cleartextLines()), c.toString());
          continue;
        }
        MessagingException e = assertThrows(MessagingException.class,
            () -> store.connect(HOST, server.port(), USER, PASSWORD));
        StartTlsViolationException v = AngusClients.violationIn(e).orElseThrow(() -> new AssertionError(describe(e)));
        assertEquals("STL-04", v.rule(), v.getMessage());
        assertEquals(bytes(injected, ""), v.unreadBytes(), v.getMessage());
        Conversation c = server.await(0);
        assertRefusedBeforeTls(c);
        assertEquals(List.of("CAPA", "STLS"), c.cleartextCommands(false), c.toString());
      }
    }
  }

  private static void assertRefusedBeforeTls(Conversation c) {
    assertFalse(c.tlsEstablished(), "no handshake may complete: " + c);
    assertTrue(c.tlsLines().isEmpty(), c.toString());
    assertFalse(carriesPassword(c.cleartextLines()), c.toString());
    List<String> words = c.cleartextLines().stream().map(l -> l.toUpperCase(java.util.Locale.ROOT)).toList();
    assertTrue(words.stream().noneMatch(l -> l.contains("LOGIN") || l.contains("AUTH")), c.toString());
  }
}
