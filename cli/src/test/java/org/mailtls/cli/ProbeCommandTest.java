package org.mailtls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.tls.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.cli.probe.ImplicitTlsTestServer;
import org.mailtls.cli.probe.LegacyTlsTestServer;
import org.mailtls.cli.probe.LoopbackServer;
import org.mailtls.cli.probe.ProbeFixtures;
import org.mailtls.cli.probe.StartTlsTestServer;
import org.mailtls.policy.identity.MailService;
import org.mailtls.testing.JsonReader;
import picocli.CommandLine;

/**
 * {@code mailtls probe} end to end against embedded loopback servers: a compliant implicit-TLS
 * server, a wrong-name server, a server that also speaks TLS 1.1, STARTTLS servers for IMAP, POP3
 * and SMTP; the JSON rendering; usage errors and unreachable servers.
 */
class ProbeCommandTest {
  @TempDir Path dir;

  /** One run of the command: exit status, stdout, stderr. */
  record Run(int status, String out, String err) {}

  static Run probe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ProbeCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private String trust() throws Exception {
    return ProbeFixtures.trustFile(dir).toString();
  }

  @Test
  void compliantImplicitTlsServer_exit0_tableListsEveryFact() throws Exception {
    try (ImplicitTlsTestServer server = new ImplicitTlsTestServer(ProbeFixtures.mailTlsServer(ProbeFixtures.LOCALHOST))) {
      Run r = probe("localhost:" + server.port(), "--service", "imaps", "--trust", trust());

      assertEquals(0, r.status(), r.out() + r.err());
      assertEquals("", r.err(), "no progress lines without a terminal or --verbose");
      assertRow(r.out(), "version", "TLSv1.3");
      assertRow(r.out(), "cipher suite", "TLS_AES_128_GCM_SHA256");
      assertRow(r.out(), "group", "x25519");
      assertRow(r.out(), "confidentiality", "VERIFIED");
      assertTrue(r.out().contains("\n  0  "), r.out());
      assertTrue(r.out().contains("1  CN=MailTLS Test Intermediate"), r.out());
      assertRow(r.out(), "    key", "EC P-256");
      assertRow(r.out(), "    signature", "SHA256withECDSA by CN=MailTLS Test Intermediate");
      assertRow(r.out(), "expected", "DNS-ID localhost (the host connected to)");
      assertRow(r.out(), "matched", "DNS-ID localhost (the host connected to) by dNSName localhost");
      assertRow(r.out(), "verdict", "VERIFIED");
      for (String check : List.of("refuses TLS 1.0", "refuses TLS 1.1", "refuses CBC suites (TLS 1.2)",
          "refuses static-RSA key exchange (TLS 1.2)", "certificate verified for a reference identity",
          "negotiates TLS 1.2+ with an RFC 9325 suite")) {
        assertTrue(r.out().contains("PASS    " + check), check + "\n" + r.out());
      }
      assertFalse(r.out().contains("FAIL"), r.out());
      assertTrue(r.out().contains("Result: meets the MailTLS policy"), r.out());
      assertFalse(r.out().contains("\u001b["), "no colour without a terminal");
      assertTrue(server.log.contains("a LOGOUT"), "the probe ends the session politely: " + server.log);
    }
  }

  @Test
  void wrongNameServer_exit1_reasonNamesReferenceAndPresentedIdentifiers() throws Exception {
    try (ImplicitTlsTestServer server = new ImplicitTlsTestServer(ProbeFixtures.mailTlsServer(ProbeFixtures.WRONG_NAME))) {
      Run r = probe("localhost:" + server.port(), "--service", "imaps", "--trust", trust());

      assertEquals(1, r.status(), r.out() + r.err());
      assertRow(r.out(), "expected", "DNS-ID localhost (the host connected to)");
      assertRow(r.out(), "presented", "dNSName mail.example.org");
      assertRow(r.out(), "verdict", "NOT VERIFIED (R7817-C-01)");
      assertTrue(r.out().contains("FAIL    certificate verified for a reference identity"), r.out());
      assertTrue(r.out().contains("fix: "), "MailTLS's fix line is shown: " + r.out());
      assertTrue(r.out().contains("0  ") && r.out().contains("EC P-256"), "the refused chain is still listed");
      assertTrue(r.out().contains("PASS    refuses TLS 1.1"), r.out());
      assertTrue(r.out().contains("Result: does NOT meet the MailTLS policy"), r.out());
    }
  }

  @Test
  void serverAlsoAcceptingTls11_exit1_verdictSaysSo() throws Exception {
    try (LegacyTlsTestServer server = new LegacyTlsTestServer(ProbeFixtures.LOCALHOST,
        ProtocolVersion.TLSv12.downTo(ProtocolVersion.TLSv11))) {
      Run r = probe("localhost:" + server.port(), "--service", "imaps", "--trust", trust());

      assertEquals(1, r.status(), r.out() + r.err());
      assertRow(r.out(), "version", "TLSv1.2");
      assertRow(r.out(), "confidentiality", "VERIFIED");
      assertTrue(r.out().contains("FAIL    refuses TLS 1.1"), r.out());
      assertTrue(r.out().contains("the server chose TLS 1.1 with TLS_ECDHE_ECDSA_WITH_"), r.out());
      assertTrue(r.out().contains("PASS    refuses TLS 1.0"), r.out());
      assertTrue(r.out().contains("FAIL    refuses CBC suites (TLS 1.2)"), "BouncyCastle's defaults include CBC");
      assertTrue(r.out().contains("PASS    refuses static-RSA key exchange"), "an ECDSA server cannot do RSA");
      assertTrue(server.log.contains("handshake TLS 1.1"), "the server really spoke TLS 1.1: " + server.log);
    }
  }

  @Test
  void imapStartTls_probeSpeaksCapabilityAndStartTls_neverLogin() throws Exception {
    try (StartTlsTestServer imap = new StartTlsTestServer(MailService.IMAP,
        ProbeFixtures.mailTlsServer(ProbeFixtures.LOCALHOST));
        ImplicitTlsTestServer imaps = new ImplicitTlsTestServer(ProbeFixtures.mailTlsServer(ProbeFixtures.LOCALHOST))) {
      Run r = probe("localhost:" + imap.port(), "--service", "imap", "--trust", trust(),
          "--implicit-port", String.valueOf(imaps.port()));

      assertEquals(0, r.status(), r.out() + r.err());
      // The goodbye is sent without waiting for an answer, so the server may record the next
      // connection's first line before it: its place in the shared log is not fixed.
      assertEquals(List.of("plain a CAPABILITY", "plain a STARTTLS", "upgraded TLS_UNAUTHENTICATED"),
          imap.log.subList(0, 3), "the policy connection's dialogue");
      assertTrue(imap.log.contains("tls a LOGOUT"), "goodbye over TLS: " + imap.log);
      assertTrue(imap.log.stream().noneMatch(l -> l.toUpperCase().contains("LOGIN ")), "never credentials");
      assertRow(r.out(), "before TLS", "IMAP4REV1 STARTTLS LOGINDISABLED");
      assertTrue(r.out().contains("PASS    offers STARTTLS, and only with a usable certificate"), r.out());
      assertTrue(r.out().contains("PASS    offers no password authentication before TLS"), r.out());
      assertTrue(r.out().contains("PASS    also offers implicit TLS (imaps, port " + imaps.port() + ")"), r.out());
      assertTrue(r.out().contains("PASS    refuses TLS 1.0"), "legacy attempts go through STARTTLS too: " + r.out());
      assertTrue(r.out().contains("Implicit TLS partner (imaps)"), r.out());
    }
  }

  @ParameterizedTest
  @EnumSource(value = MailService.class, names = {"POP3", "SUBMISSION"})
  void pop3AndSubmissionStartTls_verifiedAndImplicitAbsenceIsOnlyAdvice(MailService service) throws Exception {
    try (StartTlsTestServer server = new StartTlsTestServer(service, ProbeFixtures.mailTlsServer(ProbeFixtures.LOCALHOST))) {
      int closed = LoopbackServer.closedPort();
      Run r = probe("localhost:" + server.port(), "--service", service.label(), "--trust", trust(),
          "--implicit-port", String.valueOf(closed));

      assertEquals(0, r.status(), r.out() + r.err());
      String verb = service == MailService.POP3 ? "CAPA" : "EHLO [127.0.0.1]";
      String startTls = service == MailService.POP3 ? "STLS" : "STARTTLS";
      assertEquals(List.of("plain " + verb, "plain " + startTls, "upgraded TLS_UNAUTHENTICATED"),
          server.log.subList(0, 3));
      assertTrue(server.log.contains("tls QUIT"), "goodbye over TLS (its place in the log may vary): " + server.log);
      assertRow(r.out(), "confidentiality", "VERIFIED");
      assertTrue(r.out().contains("WARN    also offers implicit TLS"), r.out());
      assertTrue(r.out().contains("cannot connect to localhost:" + closed), r.out());
    }
  }

  @Test
  void json_parsesAndHasTheSameFactsAsTheTable() throws Exception {
    try (ImplicitTlsTestServer server = new ImplicitTlsTestServer(ProbeFixtures.mailTlsServer(ProbeFixtures.LOCALHOST))) {
      String[] args = {"localhost:" + server.port(), "--service", "imaps", "--trust", trust()};
      Run table = probe(args);
      Run json = probe(append(args, "--json"));

      assertEquals(0, json.status(), json.out() + json.err());
      Object doc = JsonReader.parse(json.out());
      assertEquals(true, JsonReader.at(doc, "meetsPolicy"));
      assertEquals(0L, JsonReader.at(doc, "exitStatus"));
      assertEquals((long) server.port(), JsonReader.at(doc, "target", "port"));
      assertEquals("imaps", JsonReader.at(doc, "target", "service"));
      assertEquals("BCJSSE", JsonReader.at(doc, "engine"));
      for (String[] fact : new String[][] {{"version", "version"}, {"cipherSuite", "cipher suite"},
          {"group", "group"}}) {
        assertEquals(row(table.out(), fact[1]), JsonReader.at(doc, "connection", fact[0]), fact[0]);
      }
      assertEquals("VERIFIED", JsonReader.at(doc, "connection", "confidentiality", "level"));
      assertEquals("x25519", JsonReader.at(doc, "connection", "group"));
      List<?> chain = (List<?>) JsonReader.at(doc, "connection", "chain");
      assertEquals(2, chain.size());
      for (int i = 0; i < chain.size(); i++) {
        Map<?, ?> c = (Map<?, ?>) chain.get(i);
        assertTrue(table.out().contains(i + "  " + c.get("subject")), "chain " + i + " subject in the table");
        assertEquals("EC", c.get("keyType"));
        assertEquals(256L, c.get("keyBits"));
        assertEquals("SHA256withECDSA", c.get("signatureAlgorithm"));
      }
      assertEquals("DNS-ID localhost (the host connected to)", JsonReader.at(doc, "identity", "matchedReference"));
      assertEquals("dNSName localhost", JsonReader.at(doc, "identity", "matchedPresented"));
      assertEquals(true, JsonReader.at(doc, "identity", "verified"));
      List<?> verdicts = (List<?>) JsonReader.at(doc, "verdicts");
      assertEquals(List.of("identity", "version", "tls10", "tls11", "cbc", "static-rsa"),
          verdicts.stream().map(v -> ((Map<?, ?>) v).get("id")).toList());
      for (Object v : verdicts) {
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("PASS", m.get("status"), m.toString());
        assertTrue(table.out().contains("PASS    " + m.get("check")), "same verdict in the table: " + m);
      }
      assertEquals(null, JsonReader.at(doc, "implicitTls"));
    }
  }

  @Test
  void emailDomain_isAReferenceIdentity() throws Exception {
    try (ImplicitTlsTestServer server = new ImplicitTlsTestServer(ProbeFixtures.mailTlsServer(ProbeFixtures.EMAIL_DOMAIN))) {
      Run without = probe("localhost:" + server.port(), "--service", "imaps", "--trust", trust());
      Run with = probe("localhost:" + server.port(), "--service", "imaps", "--trust", trust(),
          "--email", "user@example.net");

      assertEquals(1, without.status(), without.out());
      assertEquals(0, with.status(), with.out() + with.err());
      assertRow(with.out(), "matched", "DNS-ID example.net (the email domain) by dNSName example.net");
    }
  }

  @Test
  void sunJsseEngine_compliantServer_exit0() throws Exception {
    try (ImplicitTlsTestServer server = new ImplicitTlsTestServer(ProbeFixtures.mailTlsServer(ProbeFixtures.LOCALHOST))) {
      Run r = probe("localhost:" + server.port(), "--service", "imaps", "--trust", trust(), "--engine", "SunJSSE",
          "--verbose");

      assertEquals(0, r.status(), r.out() + r.err());
      assertTrue(r.out().contains(") over SUNJSSE"), r.out());
      assertTrue(r.err().contains("mailtls probe: offering only TLS 1.1"), "--verbose shows progress: " + r.err());
    }
  }

  /** Asserts the table has a row {@code label} whose value starts with {@code value}. */
  static void assertRow(String table, String label, String value) {
    String v = row(table, label);
    assertTrue(v != null && v.startsWith(value), "row '" + label + "' should start with '" + value + "', is '" + v
        + "' in\n" + table);
  }

  /** The value of the first row {@code label} (two-space indent, label padded to 17, maybe nested). */
  private static String row(String table, String label) {
    Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(String.format("%-17s", label)) + "(.*)$").matcher(table);
    return m.find() ? m.group(1) : null;
  }

  private static String[] append(String[] a, String b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + 1);
    r[a.length] = b;
    return r;
  }
}
