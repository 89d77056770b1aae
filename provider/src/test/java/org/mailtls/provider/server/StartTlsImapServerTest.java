package org.mailtls.provider.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.server.ServerFixtures.readLine;
import static org.mailtls.provider.server.ServerFixtures.send;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;

/**
 * End to end over real loopback sockets: a small IMAP-like server built from this package
 * ({@link ImapLikeServer}) and a MailTLS client, over both engines.
 *
 * <p>STL-03 (VU#555316): {@code a STARTTLS\r\nb NOOP\r\n} in one segment, the NOOP is never executed;
 * STL-08: STARTTLS after LOGIN is refused and TLS does not start; R8314-S-13: over cleartext a right
 * and a wrong password get byte-identical answers and the password database is never asked;
 * STL-09 and R8314-S-04: what CAPABILITY lists before and after TLS.
 */
@Timeout(60)
class StartTlsImapServerTest {
  private static final String GO_AHEAD = "a OK Begin TLS negotiation now";

  /** STL-03: a command pipelined behind STARTTLS in the same segment is discarded, never executed. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void startTls_noopInSameSegment_discardedAndNeverExecuted(JsseEngine engine) throws Exception {
    try (ImapLikeServer server = start(engine, StartTlsUpgrade.using(ServerFixtures.server(engine)),
            CleartextAuthPolicy.allowedForEveryone(), RecordingVerifier.standard());
        Socket plain = server.connect()) {
      send(plain, "a STARTTLS\r\nb NOOP\r\n");

      assertEquals(GO_AHEAD, readLine(plain), "the first answer must be STARTTLS's go-ahead");
      SSLSocket tls = ServerFixtures.clientStartTls(ServerFixtures.client(engine), plain);
      send(tls, "c NOOP\r\n");
      assertEquals("c OK NOOP completed", readLine(tls), "no answer to the injected 'b NOOP' may come first");
      send(tls, "d LOGOUT\r\n");
      assertEquals("* BYE", readLine(tls));
      assertEquals("d OK LOGOUT completed", readLine(tls)); // the server logs before it answers

      assertEquals(List.of("a STARTTLS", "c NOOP", "d LOGOUT"), List.copyOf(server.executed));
      assertEquals(1, server.discarded.size());
      assertTrue(server.discarded.get(0) >= "b NOOP\r\n".length(), () -> "discarded " + server.discarded);
      assertEquals(List.of(), List.copyOf(server.failures));
    }
  }

  /** STL-12 (b), STL-03 "or must close": the closing variant answers injected bytes by hanging up. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void startTls_closingVariant_injectionClosesWithoutGoAhead(JsseEngine engine) throws Exception {
    StartTlsUpgrade closing = StartTlsUpgrade.using(ServerFixtures.server(engine)).closingOnInjectedBytes();
    try (ImapLikeServer server = start(engine, closing, CleartextAuthPolicy.allowedForEveryone(),
            RecordingVerifier.standard());
        Socket plain = server.connect()) {
      send(plain, "a STARTTLS\r\nb NOOP\r\n");

      assertTrue(readToEnd(plain.getInputStream()).isEmpty(), "no go-ahead, nothing at all, then EOF");
      server.awaitFinished(1);
      assertEquals(List.of("a STARTTLS"), List.copyOf(server.executed));
      assertEquals(1, server.failures.size(), () -> "failures: " + server.failures);
      StartTlsInjectionException e = assertInstanceOf(StartTlsInjectionException.class, server.failures.get(0));
      assertTrue(e.injectedBytes() >= "b NOOP\r\n".length(), () -> "counted " + e.injectedBytes());
    }
  }

  /** STL-08: STARTTLS after LOGIN is answered with a tagged BAD and the session stays cleartext. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void startTls_afterLogin_refusedAndNoTlsStarted(JsseEngine engine) throws Exception {
    try (ImapLikeServer server = start(engine, StartTlsUpgrade.using(ServerFixtures.server(engine)),
            CleartextAuthPolicy.allowedForEveryone(), RecordingVerifier.standard());
        Socket plain = server.connect()) {
      send(plain, "a LOGIN alice right\r\n");
      assertEquals("a OK LOGIN completed", readLine(plain));

      send(plain, "b STARTTLS\r\n");
      String answer = readLine(plain);
      assertTrue(answer.startsWith("b BAD ") || answer.startsWith("b NO "), answer);
      assertEquals(List.of(StartTlsRefusedException.Reason.ALREADY_AUTHENTICATED), List.copyOf(server.refusals));

      send(plain, "c NOOP\r\n"); // still cleartext: a TLS server would not understand this
      assertEquals("c OK NOOP completed", readLine(plain));
      assertEquals(List.of(), List.copyOf(server.discarded), "no upgrade ran");
      assertEquals(List.of(), List.copyOf(server.failures));
    }
  }

  /**
   * R8314-S-13, STL-09, R8314-S-04: cleartext auth off. Before TLS: STARTTLS and LOGINDISABLED listed,
   * no password mechanism; LOGIN with the right and with a wrong password get identical bytes and the
   * verifier is never called. After STARTTLS: no STARTTLS, no LOGINDISABLED, AUTH=PLAIN back, and LOGIN
   * is checked by the verifier.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void cleartextLoginOff_identicalRefusals_thenLoginOverTls(JsseEngine engine) throws Exception {
    RecordingVerifier verifier = RecordingVerifier.standard();
    try (ImapLikeServer server = start(engine, StartTlsUpgrade.using(ServerFixtures.server(engine)),
            CleartextAuthPolicy.disabledForEveryone(), verifier)) {
      byte[] right;
      byte[] wrong;
      try (Socket plain = server.connect()) {
        right = answer(plain, "a LOGIN alice right\r\n");
      }
      try (Socket plain = server.connect()) {
        wrong = answer(plain, "a LOGIN alice wrong\r\n");
      }
      assertArrayEquals(right, wrong, () -> new String(right, US_ASCII) + " vs " + new String(wrong, US_ASCII));
      assertTrue(new String(right, US_ASCII).startsWith("a NO [PRIVACYREQUIRED] "));
      assertEquals(0, verifier.calls(), "the verifier must not be asked on a cleartext refusal");

      try (Socket plain = server.connect()) {
        send(plain, "a CAPABILITY\r\n");
        assertEquals("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED AUTH=EXTERNAL", readLine(plain));
        assertEquals("a OK CAPABILITY completed", readLine(plain));
        send(plain, "b STARTTLS\r\n");
        assertEquals("b OK Begin TLS negotiation now", readLine(plain));
        SSLSocket tls = ServerFixtures.clientStartTls(ServerFixtures.client(engine), plain);
        send(tls, "c CAPABILITY\r\n");
        assertEquals("* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN AUTH=SCRAM-SHA-256 AUTH=EXTERNAL", readLine(tls));
        assertEquals("c OK CAPABILITY completed", readLine(tls));
        send(tls, "d LOGIN alice wrong\r\n");
        assertEquals("d NO [AUTHENTICATIONFAILED] Invalid credentials", readLine(tls));
        send(tls, "e LOGIN alice right\r\n");
        assertEquals("e OK LOGIN completed", readLine(tls));
        assertEquals(2, verifier.calls());
        send(tls, "f STARTTLS\r\n");
        assertTrue(readLine(tls).startsWith("f BAD "));
      }
      server.awaitFinished(3);
      assertEquals(List.of(StartTlsRefusedException.Reason.TLS_ALREADY_ACTIVE), List.copyOf(server.refusals));
      assertEquals(List.of(0L), List.copyOf(server.discarded));
    }
  }

  /** R8314-S-04: a MailTLS context without a server key can neither build an upgrade nor advertise STARTTLS. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void startTls_withoutServerKey_cannotBeBuilt(JsseEngine engine) throws Exception {
    SSLContext clientOnly = ServerFixtures.client(engine);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StartTlsUpgrade.using(clientOnly));
    assertTrue(e.getMessage().contains("server key"), e::getMessage);
    assertFalse(StartTlsAdvertisement.mayAdvertise(clientOnly));
  }

  private static ImapLikeServer start(JsseEngine engine, StartTlsUpgrade upgrade, CleartextAuthPolicy policy,
      PasswordVerifier verifier) throws Exception {
    return ImapLikeServer.start(ServerFixtures.server(engine), upgrade, new CleartextAuthGate(policy), verifier);
  }

  /** Sends {@code command} and returns the answer line's exact bytes, CRLF included. */
  private static byte[] answer(Socket s, String command) throws IOException {
    send(s, command);
    return (readLine(s) + "\r\n").getBytes(US_ASCII);
  }

  private static String readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      in.transferTo(all);
    } catch (java.net.SocketException reset) {
      // a reset is an end too
    }
    return all.toString(US_ASCII);
  }
}
