package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.AngusClients.carriesPassword;
import static org.mailtls.provider.interop.AngusClients.describe;
import static org.mailtls.provider.interop.HostileStartTlsDowngradeTest.assertOnly;
import static org.mailtls.provider.interop.HostileStartTlsServers.HOST;
import static org.mailtls.provider.interop.HostileStartTlsServers.PASSWORD;
import static org.mailtls.provider.interop.HostileStartTlsServers.USER;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.angus.AngusProperties;
import org.mailtls.provider.interop.HostileMailScripts.Imap;
import org.mailtls.provider.interop.HostileStartTlsServers.Conversation;
import org.mailtls.provider.interop.HostileStartTlsServers.Server;
import org.mailtls.provider.starttls.StartTlsViolationException;

/**
 * STL-06: an IMAP {@code * PREAUTH} greeting on a cleartext connection when TLS is required must
 * end the connection with no further command (Thunderbird CVE-2020-12398, Mutt CVE-2020-14093,
 * Alpine CVE-2020-14929). The server record must show no mailbox command (SELECT, EXAMINE, LIST).
 *
 * <p>What Angus Mail 2.0.5 does by itself ({@code IMAPProtocol.processGreeting} sets {@code
 * authenticated = true} for PREAUTH; {@code IMAPStore.login} then runs the STARTTLS step before it
 * looks at that flag, and returns without LOGIN once it is set):
 *
 * <ul>
 *   <li>PREAUTH without STARTTLS in the capabilities: "STARTTLS required but not supported by
 *       server", no mailbox command. Safe, though only because of {@code starttls.required}.
 *   <li>PREAUTH listing STARTTLS: Angus <b>does not disconnect</b>. It sends {@code STARTTLS} in the
 *       authenticated state (where RFC 3501 §6.2.1 does not allow it), and if TLS then succeeds (a
 *       man-in-the-middle who forged the greeting relays the rest to the real server) it skips
 *       LOGIN, because the cleartext "authenticated" claim survives STARTTLS, and reports the store
 *       as connected. No password is exposed and the mailbox traffic is inside TLS, but the session
 *       state comes from the attacker (STL-06, and STL-02 for the state).
 * </ul>
 *
 * <p>MailTLS's protection: {@link AngusProperties#forImapStartTls} installs a cleartext-phase
 * guard as {@code mail.imap.socketFactory}; it refuses the PREAUTH greeting before Angus parses it,
 * so Angus sends nothing at all.
 */
@Timeout(60)
class HostileImapPreauthTest {
  private static final String NO_STARTTLS_CAPS = "* PREAUTH [CAPABILITY IMAP4rev1] logged in as alice";
  private static final String NO_CAPS = "* PREAUTH logged in as alice";
  private static final String STARTTLS_CAPS = "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] logged in as alice";

  private static Imap preauth(String greeting) {
    Imap s = new Imap();
    s.greeting = greeting;
    s.capsBeforeTls = "IMAP4rev1";
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {NO_STARTTLS_CAPS, NO_CAPS})
  void angusAlone_preauthWithoutStartTls_failsWithoutMailboxCommands(String greeting) throws Exception {
    try (Server server = Server.start(preauth(greeting))) {
      Store store = Session.getInstance(HostileStartTlsDowngradeTest.angusAlone("imap", JsseEngine.BCJSSE))
          .getStore("imap");
      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect(HOST, server.port(), USER, PASSWORD));
      assertTrue(describe(e).contains("STARTTLS required"), describe(e));
      Conversation c = server.await(0);
      assertOnly(Set.of("CAPABILITY", "LOGOUT"), c.cleartextCommands(true), c);
      assertFalse(c.tlsEstablished(), c.toString());
    }
  }

  /** The finding: Angus answers a cleartext PREAUTH that lists STARTTLS with STARTTLS, then skips LOGIN. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusAlone_preauthListingStartTls_isNotRefused(JsseEngine engine) throws Exception {
    try (Server server = Server.start(preauth(STARTTLS_CAPS))) {
      Store store = Session.getInstance(HostileStartTlsDowngradeTest.angusAlone("imap", engine)).getStore("imap");
      store.connect(HOST, server.port(), USER, PASSWORD);
      assertTrue(store.isConnected(), "Angus reports the store connected");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      inbox.close(false);
      store.close();

      Conversation c = server.await(0);
      assertEquals(List.of("STARTTLS"), c.cleartextCommands(true), "a command after PREAUTH: " + c);
      assertTrue(c.tlsEstablished(), c.toString());
      List<String> overTls = new ArrayList<>();
      for (String line : c.tlsLines()) {
        overTls.add(line.split(" ")[1]);
      }
      assertFalse(overTls.contains("LOGIN") || overTls.contains("AUTHENTICATE"),
          "the cleartext 'authenticated' claim survived STARTTLS, so no LOGIN: " + c);
      assertTrue(overTls.contains("EXAMINE"), "mailbox commands follow: " + c);
      assertFalse(carriesPassword(c.cleartextLines()), c.toString());
    }
  }

  /** With {@link AngusProperties}: every cleartext PREAUTH greeting is refused before Angus sends a byte. */
  @ParameterizedTest
  @ValueSource(strings = {NO_STARTTLS_CAPS, NO_CAPS, STARTTLS_CAPS})
  void angusProperties_preauth_closedAtTheGreeting(String greeting) throws Exception {
    for (JsseEngine engine : JsseEngine.values()) {
      try (Server server = Server.start(preauth(greeting))) {
        Store store = Session.getInstance(guarded(engine, server.port())).getStore();
        MessagingException e = assertThrows(MessagingException.class, () -> store.connect(USER, PASSWORD));
        StartTlsViolationException v = AngusClients.violationIn(e)
            .orElseThrow(() -> new AssertionError("no STL-06 refusal: " + describe(e)));
        assertEquals("STL-06", v.rule(), v.getMessage());
        assertTrue(v.getMessage().contains("PREAUTH"), v.getMessage());
        assertFalse(v.getMessage().contains("alice"), "the server's text is not quoted: " + v.getMessage());
        assertFalse(store.isConnected());
        Conversation c = server.await(0);
        assertEquals(List.of(), c.cleartextLines(), "not one command: " + c);
        assertFalse(c.tlsEstablished(), c.toString());
        assertEquals(1, server.accepted());
      }
    }
  }

  static Properties guarded(JsseEngine engine, int port) throws Exception {
    Properties props = AngusProperties.forImapStartTls(HostileStartTlsServers.mailTlsClient(engine), HOST);
    props.put("mail.imap.port", String.valueOf(port));
    return AngusClients.withTestSettings(props, "imap");
  }
}
