package org.mailtls.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailtls.cli.probe.LoopbackServer;
import org.mailtls.cli.probe.ProbeFixtures;
import org.mailtls.provider.server.LineReader;
import org.mailtls.testing.JsonReader;

/**
 * {@code mailtls probe} when it cannot judge or the server cannot be upgraded: usage errors and
 * unreachable servers exit 2 with one line (JSON error document with {@code --json}, a stack trace
 * only with {@code --verbose}); a STARTTLS server that does not offer STARTTLS exits 1.
 */
class ProbeCommandErrorsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"localhost:99999", "localhost:abc", "localhost:0", "[::1:993", "bad host!:993"})
  void badTarget_exit2_oneLine(String target) {
    ProbeCommandTest.Run r = ProbeCommandTest.probe(target, "--service", "imaps");

    assertEquals(2, r.status(), r.err());
    assertEquals("", r.out());
    assertOneLine(r.err());
  }

  @Test
  void unknownServiceOrConflicts_exit2_oneLine() {
    for (String[] args : new String[][] {{"localhost", "--service", "smtp"}, {"localhost:993", "--starttls"},
        {"localhost:1234"}, {"localhost", "--engine", "Conscrypt"}, {"localhost", "--timeout", "0"}, {},
        {"localhost", "--email", "not-an-address"},
        {"localhost", "--bogus"}, {"localhost", "other-host"}}) {
      ProbeCommandTest.Run r = ProbeCommandTest.probe(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertOneLine(r.err());
      assertFalse(r.err().contains("at org."), "no stack trace: " + r.err());
    }
  }

  @Test
  void unreadableTrustFile_exit2_oneLine() {
    ProbeCommandTest.Run r = ProbeCommandTest.probe("localhost:993", "--trust", dir.resolve("missing.pem").toString());

    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("mailtls probe: --trust "), r.err());
    assertOneLine(r.err());
  }

  @Test
  void nothingListening_exit2_oneLine_andJsonErrorDocument() throws Exception {
    int port = LoopbackServer.closedPort();
    ProbeCommandTest.Run r = ProbeCommandTest.probe("127.0.0.1:" + port, "--service", "imaps", "--json");

    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("mailtls probe: cannot connect to 127.0.0.1:" + port), r.err());
    assertOneLine(r.err());
    assertEquals(2L, JsonReader.at(JsonReader.parse(r.out()), "exitStatus"));
  }

  @Test
  void verbose_showsTheStackTraceOfAnError() throws Exception {
    ProbeCommandTest.Run r = ProbeCommandTest.probe("127.0.0.1:" + LoopbackServer.closedPort(), "--service", "imaps",
        "--verbose");

    assertEquals(2, r.status());
    assertTrue(r.err().contains("mailtls probe: cannot connect to 127.0.0.1:"), r.err());
    assertTrue(r.err().contains("\tat "), "--verbose prints the stack trace: " + r.err());
  }

  @Test
  void imapServerWithoutStartTls_exit1_saysSo_andNeverSendsStartTls() throws Exception {
    try (NoStartTlsImapServer server = new NoStartTlsImapServer()) {
      ProbeCommandTest.Run r = ProbeCommandTest.probe("localhost:" + server.port(), "--service", "imap", "--trust",
          ProbeFixtures.trustFile(dir).toString(), "--implicit-port", String.valueOf(LoopbackServer.closedPort()));

      assertEquals(1, r.status(), r.out() + r.err());
      ProbeCommandTest.assertRow(r.out(), "failure", "STARTTLS dialogue: the server does not offer STARTTLS before TLS");
      assertTrue(r.out().contains("FAIL    offers STARTTLS, and only with a usable certificate"), r.out());
      assertTrue(r.out().contains("UNKNOWN refuses TLS 1.1"), "legacy attempts need STARTTLS too: " + r.out());
      assertFalse(server.log.stream().anyMatch(l -> l.contains("STARTTLS") || l.contains("LOGIN")), server.log.toString());
    }
  }

  private static void assertOneLine(String err) {
    assertTrue(err.startsWith("mailtls probe: "), err);
    assertEquals(1, err.lines().count(), err);
  }

  /** An IMAP server that offers no STARTTLS (and would take a cleartext LOGIN). */
  static final class NoStartTlsImapServer extends LoopbackServer {
    NoStartTlsImapServer() throws IOException {
      super(LoopbackServer.plainListener());
      start();
    }

    @Override
    protected void serve(Socket s) throws IOException {
      s.getOutputStream().write("* OK cleartext only\r\n".getBytes(US_ASCII));
      LineReader reader = LineReader.over(s);
      for (String line; (line = reader.readLine()) != null; ) {
        log.add(line);
        String tag = line.split(" ")[0];
        String answer = line.endsWith("CAPABILITY") ? "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + " OK\r\n"
            : tag + " BAD no\r\n";
        s.getOutputStream().write(answer.getBytes(US_ASCII));
      }
    }
  }
}
