package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.AngusClients.describe;
import static org.mailtls.provider.interop.HostileStartTlsServers.HOST;
import static org.mailtls.provider.interop.HostileStartTlsServers.PASSWORD;
import static org.mailtls.provider.interop.HostileStartTlsServers.USER;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.event.ConnectionEvent;
import jakarta.mail.event.ConnectionListener;
import jakarta.mail.event.StoreEvent;
import jakarta.mail.event.StoreListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.interop.HostileMailScripts.Imap;
import org.mailtls.provider.interop.HostileStartTlsServers.Conversation;
import org.mailtls.provider.interop.HostileStartTlsServers.Server;
import org.mailtls.provider.starttls.StartTlsViolationException;

/**
 * STL-07: untagged responses, {@code [ALERT]} texts and mailbox data received before TLS are
 * attacker-controlled and must never reach the user (Thunderbird CVE-2021-29969; Alpine, Trojitá),
 * nor the capabilities or mailbox state used after TLS.
 *
 * <p>"Reach the user" is observed through Angus's own callbacks: a {@link StoreListener} (ALERT and
 * NOTICE events, where a mail client shows server alerts) and a {@link ConnectionListener}. Angus
 * delivers events on its own thread, so "never delivered" is decided by a sentinel: the server
 * sends {@code * OK [ALERT] sentinel} with the LOGIN answer over TLS, and since one store's events
 * are delivered in order, a cleartext alert that was going to be delivered is delivered before it.
 *
 * <p>What Angus Mail 2.0.5 does by itself: it installs {@code IMAPStore.nonStoreResponseHandler}
 * before STARTTLS, which passes every response's code to {@code handleResponseCode}: {@code [ALERT]}
 * texts (tagged or untagged) become ALERT events, other untagged OK/NO/BAD/BYE texts NOTICE
 * events. So an alert in the answer to STARTTLS <b>reaches the StoreListener</b> (a finding).
 * Alerts in the greeting or in the answer to the first CAPABILITY are not delivered, because they
 * are read before that handler exists. Capabilities are asked again after TLS ({@code
 * IMAPStore.login}: {@code p.capability()} right after {@code p.startTLS()}), and untagged mailbox
 * data before TLS never becomes folder state.
 *
 * <p>MailTLS's protection ({@code AngusProperties.forImapStartTls}): the cleartext-phase guard
 * refuses the connection on any of these lines (STL-07) before Angus parses them.
 */
@Timeout(60)
class HostileImapUntaggedTest {
  private static final String PAY_HERE = "pay here to unlock your account";
  private static final String SENTINEL = "sentinel over TLS";

  /** Where the cleartext alert is placed, and whether Angus alone hands it to the StoreListener. */
  enum Placement {
    UNTAGGED_BEFORE_STARTTLS_GO_AHEAD(true) {
      @Override
      void apply(Imap s) {
        s.untaggedBeforeGoAhead = List.of("* OK [ALERT] " + PAY_HERE);
      }
    },
    IN_THE_TAGGED_GO_AHEAD(true) {
      @Override
      void apply(Imap s) {
        s.goAheadText = "OK [ALERT] " + PAY_HERE;
      }
    },
    UNTAGGED_NO_BEFORE_STARTTLS_GO_AHEAD(true) {
      @Override
      void apply(Imap s) {
        s.untaggedBeforeGoAhead = List.of("* NO " + PAY_HERE);
      }
    },
    IN_THE_GREETING(false) {
      @Override
      void apply(Imap s) {
        s.greeting = "* OK [ALERT] " + PAY_HERE;
      }
    },
    WITH_THE_FIRST_CAPABILITY(false) {
      @Override
      void apply(Imap s) {
        s.greeting = "* OK hostile ready";
        s.untaggedWithCapabilityBeforeTls = List.of("* OK [ALERT] " + PAY_HERE, "* 5 EXISTS");
      }
    };

    final boolean angusDelivers;

    Placement(boolean angusDelivers) {
      this.angusDelivers = angusDelivers;
    }

    abstract void apply(Imap s);
  }

  /** Records every StoreEvent and ConnectionEvent of one store, in delivery order. */
  static final class Events implements StoreListener, ConnectionListener {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void notification(StoreEvent e) {
      seen.add((e.getMessageType() == StoreEvent.ALERT ? "ALERT " : "NOTICE ") + e.getMessage());
    }

    @Override
    public void opened(ConnectionEvent e) {
      seen.add("OPENED");
    }

    @Override
    public void disconnected(ConnectionEvent e) {
      seen.add("DISCONNECTED");
    }

    @Override
    public void closed(ConnectionEvent e) {
      seen.add("CLOSED");
    }

    /** Waits until the sentinel alert has been delivered, then returns everything seen before it. */
    List<String> untilSentinel() throws InterruptedException {
      long deadline = System.nanoTime() + HostileStartTlsServers.WAIT.toNanos();
      while (!seen.contains("ALERT " + SENTINEL)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the sentinel alert never arrived: " + seen);
        }
        Thread.sleep(10);
      }
      // A snapshot first: events may still arrive (a sub-list view of the live list would then throw).
      List<String> snapshot = List.copyOf(seen);
      return List.copyOf(snapshot.subList(0, snapshot.indexOf("ALERT " + SENTINEL)));
    }

    Store listen(Store store) {
      store.addStoreListener(this);
      store.addConnectionListener(this);
      return store;
    }
  }

  private static Imap hostile(Placement p) {
    Imap s = new Imap();
    s.untaggedWithLoginOverTls = List.of("* OK [ALERT] " + SENTINEL);
    p.apply(s);
    return s;
  }

  @ParameterizedTest
  @EnumSource(Placement.class)
  void angusAlone_cleartextAlert(Placement placement) throws Exception {
    Events events = new Events();
    try (Server server = Server.start(hostile(placement))) {
      Store store = events.listen(Session.getInstance(
          HostileStartTlsDowngradeTest.angusAlone("imap", JsseEngine.BCJSSE)).getStore("imap"));
      store.connect(HOST, server.port(), USER, PASSWORD);
      List<String> before = events.untilSentinel();
      store.close();
      boolean delivered = before.stream().anyMatch(e -> e.contains(PAY_HERE));
      assertEquals(placement.angusDelivers, delivered, "events before the sentinel: " + before);
    }
  }

  @ParameterizedTest
  @EnumSource(Placement.class)
  void angusProperties_cleartextAlert_refusedAndNeverDelivered(Placement placement) throws Exception {
    Events events = new Events();
    try (Server hostileServer = Server.start(hostile(placement));
        Server benign = Server.start(benignWithSentinel())) {
      Store store = events.listen(Session.getInstance(
          HostileImapPreauthTest.guarded(JsseEngine.BCJSSE, hostileServer.port())).getStore());
      MessagingException e = assertThrows(MessagingException.class, () -> store.connect(USER, PASSWORD));
      assertEquals("STL-07", AngusClients.refusalRule(e).orElseThrow(() -> new AssertionError(describe(e))));
      assertFalse(describe(e).contains(PAY_HERE), "the server's text is never quoted: " + describe(e));
      Conversation c = hostileServer.await(0);
      assertFalse(c.tlsEstablished(), c.toString());
      assertFalse(c.cleartextCommands(true).contains("LOGIN"), c.toString());

      // The same store, same listeners, on a benign server: its TLS sentinel closes the window.
      store.connect(HOST, benign.port(), USER, PASSWORD);
      List<String> before = events.untilSentinel();
      store.close();
      // Angus may report the refusal itself as a NOTICE (its synthetic "* BYE Jakarta Mail Exception:
      // ..." response carries MailTLS's message); nothing the hostile server said may be there.
      for (String event : before) {
        assertTrue(event.startsWith("NOTICE Jakarta Mail Exception: " + StartTlsViolationException.class.getName()),
            "only MailTLS's own refusal may be reported: " + before);
        assertFalse(event.contains(PAY_HERE), before.toString());
      }
    }
  }

  /** Capabilities and mailbox data sent before TLS are not what Angus uses after it (STL-02, STL-07). */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusAlone_cleartextCapabilitiesAndMailboxData_areForgotten(JsseEngine engine) throws Exception {
    Imap s = new Imap();
    s.greeting = "* OK hostile ready";
    s.capsBeforeTls = "IMAP4rev1 STARTTLS AUTH=PLAIN XPRETLS";
    s.untaggedWithCapabilityBeforeTls = List.of("* 5 EXISTS", "* 3 RECENT");
    try (Server server = Server.start(s)) {
      IMAPStore store = (IMAPStore) Session.getInstance(
          HostileStartTlsDowngradeTest.angusAlone("imap", engine)).getStore("imap");
      store.connect(HOST, server.port(), USER, PASSWORD);
      assertFalse(store.hasCapability("XPRETLS"), "cleartext capability survived TLS");
      assertFalse(store.hasCapability("AUTH=PLAIN"), "cleartext capability survived TLS");
      assertTrue(store.hasCapability("XTLS"), "the capability list asked over TLS is used");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      assertEquals(0, inbox.getMessageCount(), "message count from the EXAMINE over TLS, not '* 5 EXISTS'");
      inbox.close(false);
      store.close();
      Conversation c = server.await(0);
      assertEquals(List.of("CAPABILITY", "STARTTLS"), c.cleartextCommands(true), c.toString());
      assertTrue(c.tlsLines().stream().anyMatch(l -> l.contains(" LOGIN ")), "LOGIN, not AUTHENTICATE PLAIN: " + c);
    }
  }

  /** The guard leaves a well-behaved server alone: greeting, CAPABILITY, STARTTLS, then TLS. */
  @Test
  void angusProperties_wellBehavedServer_connects() throws Exception {
    Imap s = benignWithSentinel();
    s.greeting = "* OK hostile ready";
    Events events = new Events();
    try (Server server = Server.start(s)) {
      Store store = events.listen(Session.getInstance(
          HostileImapPreauthTest.guarded(JsseEngine.SUNJSSE, server.port())).getStore());
      store.connect(USER, PASSWORD);
      assertEquals(List.of(), events.untilSentinel());
      store.close();
      Conversation c = server.await(0);
      assertEquals(List.of("CAPABILITY", "STARTTLS"), c.cleartextCommands(true), c.toString());
    }
  }

  private static Imap benignWithSentinel() {
    Imap s = new Imap();
    s.untaggedWithLoginOverTls = List.of("* OK [ALERT] " + SENTINEL);
    return s;
  }
}
