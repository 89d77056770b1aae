package org.mailtls.cli.probe;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailtls.policy.identity.MailService;

/**
 * The STARTTLS dialogues against scripted cleartext servers: what the probe sends, and every way a
 * server can fail to lead into TLS (no STARTTLS, PREAUTH, refusal, injected bytes, endless lines,
 * trickling). No TLS here: the dialogue ends at the go-ahead.
 */
class ProbeDialogueTest {
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /**
   * A one-connection server: sends {@code greeting}, then answers each received line with the
   * script's answer for it (raw text, CRLFs included), and closes after the script's last answer.
   */
  private Socket scripted(String greeting, Map<String, String> script) throws IOException {
    ServerSocket listener = LoopbackServer.plainListener();
    pool.execute(() -> {
      try (listener; Socket s = listener.accept()) {
        OutputStream out = s.getOutputStream();
        out.write(greeting.getBytes(ISO_8859_1));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), ISO_8859_1));
        for (String line; (line = in.readLine()) != null; ) {
          received.add(line);
          out.write(script.getOrDefault(line, "").getBytes(ISO_8859_1));
          out.flush();
        }
      } catch (IOException ignored) {
        // the client went away
      }
    });
    Socket client = new Socket(LoopbackServer.loopback(), listener.getLocalPort());
    client.setSoTimeout(5000);
    return client;
  }

  @Test
  void imap_capabilityThenStartTls() throws Exception {
    try (Socket s = scripted("* OK hello\r\n", Map.of(
        "a CAPABILITY", "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\na OK done\r\n",
        "a STARTTLS", "a OK Begin TLS negotiation now\r\n"))) {
      Capabilities c = MailDialogue.startTls(s, MailService.IMAP, 5000);
      assertEquals(List.of("IMAP4REV1", "STARTTLS", "LOGINDISABLED"), c.advertised());
      assertEquals(Optional.empty(), c.passwordBeforeTls());
      assertEquals(List.of("a CAPABILITY", "a STARTTLS"), received);
    }
  }

  @Test
  void pop3_capaThenStls_userBeforeTlsIsReported() throws Exception {
    try (Socket s = scripted("+OK POP3 ready\r\n", Map.of(
        "CAPA", "+OK\r\nUSER\r\nSTLS\r\nSASL PLAIN EXTERNAL\r\n.\r\n", "STLS", "+OK go ahead\r\n"))) {
      Capabilities c = MailDialogue.startTls(s, MailService.POP3, 5000);
      assertEquals(Optional.of("USER, SASL PLAIN offered before TLS"), c.passwordBeforeTls());
      assertEquals(List.of("CAPA", "STLS"), received);
    }
  }

  @Test
  void smtp_multiLineGreetingAndEhlo() throws Exception {
    try (Socket s = scripted("220-mail.example.net\r\n220 ESMTP\r\n", Map.of(
        "EHLO [127.0.0.1]", "250-mail.example.net\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n",
        "STARTTLS", "220 2.0.0 go ahead\r\n"))) {
      Capabilities c = MailDialogue.startTls(s, MailService.SUBMISSION, 5000);
      assertEquals(List.of("STARTTLS", "AUTH PLAIN LOGIN", "8BITMIME"), c.advertised());
      assertEquals(Optional.of("AUTH PLAIN LOGIN offered before TLS"), c.passwordBeforeTls());
      assertEquals(List.of("EHLO [127.0.0.1]", "STARTTLS"), received);
    }
  }

  @Test
  void noStartTlsAdvertised_failsWithoutAskingForIt() throws Exception {
    try (Socket s = scripted("+OK\r\n", Map.of("CAPA", "+OK\r\nUSER\r\n.\r\n"))) {
      DialogueException e = assertThrows(DialogueException.class, () -> MailDialogue.startTls(s, MailService.POP3, 5000));
      assertTrue(e.getMessage().startsWith("the server does not offer STLS before TLS"), e.getMessage());
      assertEquals(List.of("CAPA"), received);
    }
  }

  @Test
  void imapPreauth_failsAtTheGreeting() throws Exception {
    try (Socket s = scripted("* PREAUTH welcome back\r\n", Map.of())) {
      DialogueException e = assertThrows(DialogueException.class, () -> MailDialogue.startTls(s, MailService.IMAP, 5000));
      assertTrue(e.getMessage().contains("PREAUTH"), e.getMessage());
      assertEquals(List.of(), received);
    }
  }

  @Test
  void refusedStartTls_quotesTheServerPrintably() throws Exception {
    try (Socket s = scripted("220 hi\r\n", Map.of("EHLO [127.0.0.1]", "250-hi\r\n250 STARTTLS\r\n",
        "STARTTLS", "454 4.7.0 TLS not available \u001b[31m\r\n"))) {
      DialogueException e = assertThrows(DialogueException.class,
          () -> MailDialogue.startTls(s, MailService.SUBMISSION, 5000));
      assertEquals("STARTTLS answered \"454 4.7.0 TLS not available \\x1b[31m\" (expected 220)", e.getMessage());
    }
  }

  @Test
  void bytesAfterTheGoAhead_areResponseInjection() throws Exception {
    try (Socket s = scripted("* OK\r\n", Map.of("a CAPABILITY", "* CAPABILITY IMAP4rev1 STARTTLS\r\na OK\r\n",
        "a STARTTLS", "a OK go\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n"))) {
      // one write on loopback: the injected line arrives in the go-ahead's segment
      DialogueException e = assertThrows(DialogueException.class, () -> MailDialogue.startTls(s, MailService.IMAP, 5000));
      assertTrue(e.getMessage().contains("response injection, STL-04"), e.getMessage());
    }
  }

  @Test
  void overlongLine_fails() throws Exception {
    try (Socket s = scripted("+OK " + "x".repeat(600) + "\r\n", Map.of())) {
      assertThrows(ProtocolException.class, () -> MailDialogue.startTls(s, MailService.POP3, 5000));
    }
  }

  @Test
  void tricklingServer_boundedByTheDialogueDeadline() throws Exception {
    ServerSocket listener = LoopbackServer.plainListener();
    pool.execute(() -> {
      try (listener; Socket s = listener.accept()) {
        for (int i = 0; i < 100; i++) {
          s.getOutputStream().write('+');
          s.getOutputStream().flush();
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException ignored) {
        // stopped
      }
    });
    try (Socket s = new Socket(LoopbackServer.loopback(), listener.getLocalPort())) {
      long start = System.nanoTime();
      assertThrows(SocketTimeoutException.class, () -> MailDialogue.startTls(s, MailService.POP3, 500));
      assertTrue(System.nanoTime() - start < 3_000_000_000L, "the deadline covers the whole dialogue");
    }
  }
}
