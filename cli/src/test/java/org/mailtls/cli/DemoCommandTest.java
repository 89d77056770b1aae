package org.mailtls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs {@code mailtls demo} end to end (embedded loopback servers, then the identity engine) and checks its verdicts. */
class DemoCommandTest {

  @Test
  void demo_noArguments_everyVerdictAsExpected() {
    long start = System.nanoTime();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int status;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      status = Main.run("demo");
    } finally {
      System.setOut(saved);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    String out = buf.toString(StandardCharsets.UTF_8);
    List<String> lines = out.lines().toList();

    assertEquals(0, status, out);
    // Part 1: one verdict line per server, each followed by its reason.
    assertVerdict(out, "compliant IMAPS server, TLS 1.3", "ACCEPTED");
    assertTrue(out.contains("VERIFIED: TLSv1.3, TLS_"), out);
    assertTrue(out.contains("group x25519"), out);
    assertTrue(out.contains("server identity verified: DNS-ID mail.example.test"), out);
    assertVerdict(out, "compliant IMAPS server, client offers only TLS 1.2", "ACCEPTED");
    assertTrue(out.contains("VERIFIED: TLSv1.2, TLS_ECDHE_"), out);
    assertVerdict(out, "IMAPS server, certificate for mail.hoster.example", "REFUSED");
    assertTrue(out.contains("R7817-C-01: server certificate does not match any reference identity"), out);
    assertVerdict(out, "legacy IMAPS server speaking only TLS 1.1", "REFUSED");
    assertTrue(out.contains("protocol_version"), out);
    assertVerdict(out, "STARTTLS-only IMAP server, LOGIN before STARTTLS", "REFUSED");
    assertTrue(out.contains("R8314-C-22 (pre-AUTH guard): NONE"), out);
    assertVerdict(out, "STARTTLS-only IMAP server, after STARTTLS", "ACCEPTED");
    assertTrue(!out.contains("UNEXPECTED"), out);
    // Part 2: the identity engine, unchanged.
    assertTrue(out.contains("'*' is allowed only as the whole left-most label"), out);
    assertTrue(out.contains("mail.example.net\\x00.evil.example"), out);
    // CI greps ' 0 unexpected.$' on the last line.
    assertEquals("6 connections and 13 certificates checked, 8 accepted as expected, 11 refused as expected,"
        + " 0 unexpected.", lines.get(lines.size() - 1));
    assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "the demo took " + took);
  }

  private static void assertVerdict(String out, String title, String verdict) {
    assertTrue(Pattern.compile("(?m)^ ?\\d+\\. " + Pattern.quote(title) + " +" + verdict + "$").matcher(out).find(),
        "no line \"" + title + " ... " + verdict + "\" in:\n" + out);
  }

  @Test
  void help_listsDemo() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run("--help"));
    } finally {
      System.setOut(saved);
    }
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("demo"));
  }
}
