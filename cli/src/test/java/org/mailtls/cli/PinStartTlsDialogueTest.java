package org.mailtls.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailtls.cli.pin.MailConnector;
import org.mailtls.policy.identity.MailService;

/**
 * The client side of the STARTTLS dialogue {@code pin add} speaks before layering TLS, against
 * scripted servers: the commands sent for each service, multi-line replies, nothing read past the
 * go-ahead, and a refusal.
 */
class PinStartTlsDialogueTest {
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /**
   * Runs {@code service}'s dialogue against a server that sends {@code script} lines: a line starting
   * with "&lt;" is a command the server waits for (and records), any other is sent. After the script
   * the server waits for the client's first byte (as a TLS server waits for the ClientHello) and
   * sends "TLS-BYTES", which the dialogue must have left unread. Returns the recorded commands.
   */
  private List<String> dialogue(MailService service, String... script) throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<List<String>> server = pool.submit(() -> {
        List<String> received = new ArrayList<>();
        try (Socket s = listener.accept()) {
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
          OutputStream out = s.getOutputStream();
          for (String step : script) {
            if (step.startsWith("<")) {
              received.add(in.readLine());
            } else {
              out.write((step + "\r\n").getBytes(US_ASCII));
            }
          }
          s.getInputStream().read(); // the client's "ClientHello"
          out.write("TLS-BYTES".getBytes(US_ASCII));
          out.flush();
          s.getInputStream().read(); // until the client closes
        }
        return received;
      });
      try (Socket plain = MailConnector.openPlain("127.0.0.1", listener.getLocalPort(), 10_000)) {
        MailConnector.startTls(plain, service);
        plain.getOutputStream().write('!');
        byte[] rest = plain.getInputStream().readNBytes(9);
        assertEquals("TLS-BYTES", new String(rest, US_ASCII), "the dialogue read past the go-ahead");
      }
      return server.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void imap_untaggedLinesBeforeTheTaggedOk() throws Exception {
    assertEquals(List.of("a CAPABILITY", "a STARTTLS"), dialogue(MailService.IMAP,
        "* OK ready", "<", "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED", "a OK done", "<",
        "* CAPABILITY IMAP4rev1", "a OK begin TLS"));
  }

  @Test
  void pop3_stls() throws Exception {
    assertEquals(List.of("CAPA", "STLS"), dialogue(MailService.POP3, "+OK POP3 ready", "<", "+OK", "STLS", ".", "<",
        "+OK begin TLS"));
  }

  @Test
  void submission_ehloThenStarttls_multiLineReplies() throws Exception {
    assertEquals(List.of("EHLO [127.0.0.1]", "STARTTLS"), dialogue(MailService.SUBMISSION,
        "220-mail.example.test ESMTP", "220 ready", "<", "250-mail.example.test", "250-STARTTLS", "250 8BITMIME",
        "<", "220 2.0.0 Ready to start TLS"));
  }

  @Test
  void sieve_capabilitiesThenOk() throws Exception {
    assertEquals(List.of("STARTTLS"), dialogue(MailService.SIEVE,
        "\"IMPLEMENTATION\" \"demo\"", "\"STARTTLS\"", "OK", "<", "OK \"begin TLS\""));
  }

  @Test
  void implicitTls_saysNothing() throws Exception {
    assertTrue(dialogue(MailService.IMAPS).isEmpty());
  }

  @Test
  void imap_refused_protocolException() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      pool.submit(() -> {
        try (Socket s = listener.accept()) {
          s.getOutputStream().write("* OK ready\r\n".getBytes(US_ASCII));
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
          in.readLine();
          s.getOutputStream().write("* CAPABILITY IMAP4rev1 STARTTLS\r\na OK\r\n".getBytes(US_ASCII));
          in.readLine();
          s.getOutputStream().write("a NO STARTTLS unavailable\r\n".getBytes(US_ASCII));
          s.getInputStream().read();
        }
        return null;
      });
      try (Socket plain = MailConnector.openPlain("127.0.0.1", listener.getLocalPort(), 10_000)) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> MailConnector.startTls(plain, MailService.IMAP));
        assertTrue(e.getMessage().contains("a NO STARTTLS unavailable"), e.getMessage());
      }
    }
  }

  /** STL-04: bytes that arrive with the go-ahead, before the client said anything, are refused. */
  @Test
  void imap_bytesInjectedWithTheGoAhead_refused() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      pool.submit(() -> {
        try (Socket s = listener.accept()) {
          s.getOutputStream().write("* OK ready\r\n".getBytes(US_ASCII));
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
          in.readLine();
          s.getOutputStream().write("* CAPABILITY IMAP4rev1 STARTTLS\r\na OK\r\n".getBytes(US_ASCII));
          in.readLine();
          s.getOutputStream().write("a OK begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n".getBytes(US_ASCII));
          s.getInputStream().read();
        }
        return null;
      });
      try (Socket plain = MailConnector.openPlain("127.0.0.1", listener.getLocalPort(), 10_000)) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> MailConnector.startTls(plain, MailService.IMAP));
        assertTrue(e.getMessage().contains("STL-04"), e.getMessage());
      }
    }
  }
}
