package org.mailtls.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailtls.cli.demo.DemoImapServer;
import org.mailtls.policy.pin.CertificatePin;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;
import org.mailtls.testing.TestPki;
import picocli.CommandLine;

/**
 * {@code mailtls pin list|add|remove} end to end against embedded loopback servers: a pin is made
 * only from a refusal seen during setup, a CA-valid server needs none, a refusal no pin may answer
 * is refused, and an unreadable pin file is never touched.
 */
class PinCommandTest {
  private static final String HOST = "mail.example.test";
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate SELF_SIGNED =
      HeldCertificate.builder().subjectCommonName("self-signed mail server").addDnsName(HOST).build();
  private static final HeldCertificate CA_SIGNED = PKI.leaf().addDnsName(HOST).build();

  @TempDir Path dir;
  private final List<DemoImapServer> servers = new ArrayList<>();

  record Run(int status, String out, String err) {}

  static Run pin(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new PinCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  private int serve(HeldCertificate leaf, DemoImapServer.Mode mode) throws Exception {
    MailTlsProvider p = new MailTlsProvider();
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", p);
    char[] password = "pw".toCharArray();
    kmf.init(TestPki.keyStore(leaf, password), password);
    SSLContext ctx = SSLContext.getInstance("MailTLS", p);
    ctx.init(kmf.getKeyManagers(), null, null);
    DemoImapServer server = DemoImapServer.start("pin-test", ctx, mode);
    servers.add(server);
    return server.port();
  }

  @AfterEach
  void stopServers() throws Exception {
    for (DemoImapServer s : servers) {
      s.close();
    }
  }

  private String[] add(Path store, int port, String service, String... more) {
    return Stream.concat(Stream.of("add", "--store", store.toString(), "--account", "alice", "--email",
        "alice@example.test", "--host", HOST, "--connect-to", "127.0.0.1", "--port", String.valueOf(port),
        "--service", service, "--timeout", "10"), Stream.of(more)).toArray(String[]::new);
  }

  @Test
  void add_selfSigned_yes_pinnedAndListed_thenCaValidServerNeedsNoPin_thenRemoved() throws Exception {
    Path store = dir.resolve("pins.txt");
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, PKI.root().certificatePem());
    String sha = CertificatePin.fingerprint(SELF_SIGNED.certificate());
    int selfSigned = serve(SELF_SIGNED, DemoImapServer.Mode.IMPLICIT_TLS);

    Run added = pin(add(store, selfSigned, "imaps", "--yes"));

    assertEquals(0, added.status(), added.out() + added.err());
    assertTrue(added.out().startsWith("Account alice is being set up with the minimum confidentiality level OFF"),
        added.out());
    assertTrue(added.out().contains("Your password and your messages may then be"), added.out());
    assertTrue(added.out().contains("MailTLS refused the server's certificate (R8314-C-"), added.out());
    assertTrue(added.out().contains("subject:  CN=self-signed mail server"), added.out());
    assertTrue(added.out().contains("key:      EC 256 bits"), added.out());
    assertTrue(added.out().contains("SHA-256:  " + sha), added.out());
    assertTrue(added.out().contains("Pinned: sha256 " + sha + " for account alice at imaps://" + HOST + ":"
        + selfSigned), added.out());
    assertTrue(Files.readString(store, UTF_8).contains(sha));

    Run listed = pin("list", "--store", store.toString(), "--account", "alice");
    assertEquals(0, listed.status(), listed.err());
    assertTrue(listed.out().startsWith("1 pin of account alice"), listed.out());
    assertTrue(listed.out().contains(sha + "  imaps://" + HOST + ":" + selfSigned), listed.out());
    assertTrue(listed.out().contains("R8314-C-"), listed.out());
    assertEquals(0, pin("list", "--store", store.toString(), "--account", "bob").out().indexOf("0 pins of account bob"));

    Run again = pin(add(store, selfSigned, "imaps", "--yes"));
    assertEquals(0, again.status(), again.out());
    assertTrue(again.out().contains("Already pinned"), again.out());

    byte[] before = Files.readAllBytes(store);
    int caValid = serve(CA_SIGNED, DemoImapServer.Mode.IMPLICIT_TLS);
    Run verified = pin(add(store, caValid, "imaps", "--yes", "--ca-file", ca.toString()));
    assertEquals(0, verified.status(), verified.out() + verified.err());
    assertTrue(verified.out().contains("VERIFIED"), verified.out());
    assertTrue(verified.out().contains("No pin is needed"), verified.out());
    assertArrayEquals(before, Files.readAllBytes(store), "nothing added");

    Run removed = pin("remove", "--store", store.toString(), "--account", "alice", "--sha256", sha.toUpperCase());
    assertEquals(0, removed.status(), removed.out() + removed.err());
    assertTrue(removed.out().startsWith("Removed 1 pin record of account alice"), removed.out());
    Run none = pin("remove", "--store", store.toString(), "--account", "alice", "--sha256", sha);
    assertEquals(1, none.status(), none.out());
    assertTrue(none.out().contains("nothing removed"), none.out());
    assertTrue(pin("list", "--store", store.toString(), "--account", "alice").out().startsWith("0 pins"));
  }

  @Test
  void add_starttlsImap_dialogueThenPinned() throws Exception {
    Path store = dir.resolve("pins.txt");
    int port = serve(SELF_SIGNED, DemoImapServer.Mode.STARTTLS);

    Run added = pin(add(store, port, "imap", "--yes"));

    assertEquals(0, added.status(), added.out() + added.err());
    assertTrue(added.out().contains("(STARTTLS)"), added.out());
    assertTrue(added.out().contains("Pinned: sha256 " + CertificatePin.fingerprint(SELF_SIGNED.certificate())
        + " for account alice at imap://" + HOST + ":" + port), added.out());
  }

  @Test
  void add_rsa1024_notPinnable_exit1AndNothingStored() throws Exception {
    HeldCertificate weak = HeldCertificate.builder().subjectCommonName("weak").keyType(KeyType.RSA_1024)
        .addDnsName(HOST).build();
    Path store = dir.resolve("pins.txt");
    int port = serve(weak, DemoImapServer.Mode.IMPLICIT_TLS);

    Run r = pin(add(store, port, "imaps", "--yes"));

    assertEquals(1, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("(TLS-25)"), r.out());
    assertTrue(r.out().contains("key:      RSA 1024 bits"), r.out());
    assertTrue(r.out().contains("A pin cannot stand in for this failure"), r.out());
    assertFalse(r.out().contains("Pinned:"), r.out());
    assertFalse(Files.exists(store));
  }

  @Test
  void add_noTerminalNoYes_refusedAndNothingStored() throws Exception {
    Path store = dir.resolve("pins.txt");
    int port = serve(SELF_SIGNED, DemoImapServer.Mode.IMPLICIT_TLS);

    Run r = pin(add(store, port, "imaps"));

    assertEquals(1, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("The pin that would be stored in"), r.out());
    assertTrue(r.err().contains("run again with --yes"), r.err());
    assertFalse(Files.exists(store));
  }

  @Test
  void corruptOrNewerFile_exit2WithOneLineError_fileUntouched() throws Exception {
    for (String content : List.of("not a pin file\n", "# mailtls-pins v2\nwhatever\n")) {
      Path store = dir.resolve("pins-" + content.length() + ".txt");
      Files.writeString(store, content, UTF_8);
      Files.setLastModifiedTime(store, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
      int port = serve(SELF_SIGNED, DemoImapServer.Mode.IMPLICIT_TLS);
      List<Run> runs = List.of(
          pin("list", "--store", store.toString(), "--account", "alice"),
          pin(add(store, port, "imaps", "--yes")),
          pin("remove", "--store", store.toString(), "--account", "alice", "--sha256", "ab".repeat(32)));

      for (Run r : runs) {
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().startsWith("mailtls: cannot open pin store " + store.toRealPath() + ": line 1: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("The file was left untouched"), r.err());
      }
      assertEquals(content, Files.readString(store, UTF_8));
      assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(store).toMillis());
      try (Stream<Path> files = Files.list(dir)) {
        assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(store.getFileName() + ".")),
            "no lock or temp file next to the refused store");
      }
    }
  }

  @Test
  void remove_badFingerprint_usageError() {
    Run r = pin("remove", "--store", dir.resolve("p.txt").toString(), "--account", "alice", "--sha256", "abc");

    assertEquals(2, r.status());
    assertTrue(r.err().contains("--sha256 must be a SHA-256 of 64 hex digits"), r.err());
  }

  /** Registered in the top-level command: {@code mailtls pin --help} works through Main. */
  @org.junit.jupiter.api.Test
  void main_pinHelp_listsSubcommands() {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.out;
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    int status;
    try {
      status = Main.run("pin", "--help");
    } finally {
      System.setOut(saved);
    }
    String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    org.junit.jupiter.api.Assertions.assertEquals(0, status, out);
    org.junit.jupiter.api.Assertions.assertTrue(out.contains("list") && out.contains("add") && out.contains("remove"), out);
  }
}
