package org.mailtls.policy.pin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.policy.pin.PinFixtures.PINNED_AT;
import static org.mailtls.policy.pin.PinFixtures.pin;
import static org.mailtls.policy.pin.PinFixtures.sha;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailtls.policy.identity.MailService;

/**
 * The pin file format v1 of {@link FilePinStore}: every SI-22 context field (RFC 6125 §7.1)
 * survives a round trip, escaping keeps hostile account ids and reasons from breaking the format, and
 * any damage (a cut, a newer version, a bad field) makes the store refuse to open, naming file and
 * line, with the file left byte for byte as it was, so no pin is silently lost or revived
 * (R8314-C-30, C-31 depend on the file meaning exactly what it says).
 */
class FilePinStoreFormatTest {
  private static final String HEADER = "# mailtls-pins v1\n";

  @TempDir Path dir;

  /** SI-22: all fields, with tabs, backslashes, look-alike escapes and non-ASCII in the free text, round-trip. */
  @Test
  void addThenOpen_everyFieldWithHostileText_roundTripsExactly() throws Exception {
    Path file = dir.resolve("pins.txt");
    String account = "#ali\tce\\n@exämple.net \\t \\u0041 \u202e\u0000\r";
    String reason = "expired\t2025-02-28\r \\ C:\\new\\table \"q\" ü 🔒 عربى \u200d\u2028\u0085\udc00 end\\";
    List<CertificatePin> pins = new ArrayList<>();
    pins.add(CertificatePin.of(account, "xn--bcher-kva.example", 65_535, MailService.SIEVE, sha("a"),
        Instant.parse("1999-12-31T23:59:59.123456789Z"), List.of(sha("a"), sha("b"), sha("c")), reason));
    pins.add(CertificatePin.of("bob", "2001:db8::1", 1, MailService.POP3S, sha("d"), PINNED_AT, List.of(sha("d")), ""));
    for (MailService s : MailService.values()) {
      pins.add(pin("carol", "mail.example.net", s.defaultPort(), s, s.label()));
    }
    FilePinStore store = FilePinStore.open(file);
    for (CertificatePin p : pins) {
      store.add(p);
    }
    assertEquals(pins, FilePinStore.open(file).all());
    List<String> lines = Files.readAllLines(file, UTF_8);
    assertEquals(2 + pins.size(), lines.size());
    for (String line : lines.subList(2, lines.size())) {
      assertEquals(7, line.chars().filter(c -> c == '\t').count(), line);
    }
    assertTrue(lines.get(2).startsWith("\\u0023ali\\tce\\\\n@exämple.net \\\\t \\\\u0041 \\u202e\\u0000\\r\t"),
        lines.get(2));
  }

  /** The documented example, byte for byte: header, column comment, one tab-separated line per pin. */
  @Test
  void add_onePin_writesTheDocumentedFormat() throws Exception {
    Path file = dir.resolve("pins.txt");
    FilePinStore store = FilePinStore.open(file);
    store.add(CertificatePin.of("alice@example.net", "imap.example.net", 993, MailService.IMAPS, sha("leaf"),
        PINNED_AT, List.of(sha("leaf"), sha("ca")), "certificate expired on 2025-02-28;\tuser accepted it"));
    String expected = HEADER
        + "# account\thost\tport\tservice\tsha256\tpinnedAt\tchainSha256\treason"
        + "  (tab-separated; \\\\ \\t \\n \\r \\uXXXX escaped)\n"
        + "alice@example.net\timap.example.net\t993\timaps\t" + sha("leaf") + "\t2025-03-01T09:30:00Z\t"
        + sha("leaf") + "," + sha("ca") + "\tcertificate expired on 2025-02-28;\\tuser accepted it\n";
    assertEquals(expected, Files.readString(file, UTF_8));
    assertEquals("9f91161f43433e49a6de6db680d79f60159f2e4ac9172621a12846428158440b", sha("leaf"), "javadoc example");
  }

  /**
   * A file cut at any byte that is not a line end (an interrupted copy, a full disk) refuses to
   * open, naming the line the cut fell in, with the file unchanged. A cut exactly at a line end
   * leaves a shorter valid file, which no format without a trailer can detect.
   */
  @Test
  void open_fileCutAtEveryByte_refusesNamingLineUnlessCutAtLineEnd() throws Exception {
    Path full = dir.resolve("full.txt");
    FilePinStore store = FilePinStore.open(full);
    store.add(pin("alice", "one"));
    store.add(pin("bob", "two"));
    byte[] bytes = Files.readAllBytes(full);
    Path cut = dir.resolve("cut.txt");
    for (int n = 0; n < bytes.length; n++) {
      byte[] prefix = java.util.Arrays.copyOf(bytes, n);
      Files.write(cut, prefix);
      int newlines = 0;
      for (byte b : prefix) {
        newlines += b == '\n' ? 1 : 0;
      }
      if (n > 0 && prefix[n - 1] == '\n') {
        assertEquals(Math.max(0, newlines - 2), FilePinStore.open(cut).all().size(), "cut at line end, byte " + n);
        continue;
      }
      PinStoreException e = assertThrows(PinStoreException.class, () -> FilePinStore.open(cut), "cut at byte " + n);
      assertRefusal(e, cut, newlines + 1, n == 0 ? "the file is empty" : "does not end with a newline");
      assertArrayEquals(prefix, Files.readAllBytes(cut));
    }
  }

  /** A file from a newer MailTLS (format v2) is refused with the version named, never read as v1 or emptied. */
  @Test
  void open_headerV2_refusesNamingTheVersion() throws Exception {
    byte[] content = ("# mailtls-pins v2\nsome\tfuture\tformat\n").getBytes(UTF_8);
    Path file = write(content);
    PinStoreException e = assertThrows(PinStoreException.class, () -> FilePinStore.open(file));
    assertRefusal(e, file, 1, "format v2");
    assertTrue(e.getMessage().contains("newer MailTLS"), e.getMessage());
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  /** Without the header the file is not known to be a pin file at all. */
  @Test
  void open_missingHeader_refuses() throws Exception {
    String line = validLine();
    byte[] content = (line + "\n").getBytes(UTF_8);
    Path file = write(content);
    PinStoreException e = assertThrows(PinStoreException.class, () -> FilePinStore.open(file));
    assertRefusal(e, file, 1, "expected the header \"# mailtls-pins v1\"");
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  /** Garbage in any one field refuses the whole file, naming the line (4 here) and the field. */
  @ParameterizedTest(name = "field {0} = \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "2|70000|field 3 (port) \"70000\" is not a port number 1..65535",
      "2|0|field 3 (port) \"0\" is not a port number",
      "2|+993|field 3 (port)",
      "2|'993 '|field 3 (port)",
      "3|smtp|field 4 (service) \"smtp\" is not a mail service; expected one of imap, imaps",
      "4|9F91161F43433E49A6DE6DB680D79F60159F2E4AC9172621A12846428158440B|field 5 (sha256)",
      "4|9f91161f43433e49a6de6db680d79f60159f2e4ac9172621a12846428158440|field 5 (sha256)",
      "4|zz91161f43433e49a6de6db680d79f60159f2e4ac9172621a12846428158440b|field 5 (sha256)",
      "5|2025-13-01T00:00:00Z|field 6 (pinnedAt)",
      "5|yesterday|field 6 (pinnedAt)",
      "6|9f91161f43433e49a6de6db680d79f60159f2e4ac9172621a12846428158440b,|field 7 (chainSha256)",
      "6|6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126|chainSha256 must start with",
      "0|bad\\x escape|field 1 (account) \"bad\\\\x escape\" has a bad escape: unknown escape \\x",
      "0|'   '|account id must be non-blank",
      "1|IMAP.example.net|host must be normalized",
      "1|imap.example.net.|normalizes to \"imap.example.net\"",
      "7|ends in a lone backslash\\|field 8 (reason)",
      "7|\\u12|\\u must be followed by 4 hex digits",
  })
  void open_garbageInOneField_refusesNamingLineAndField(int field, String value, String expected) throws Exception {
    String[] f = validLine().split("\t", -1);
    f[field] = value;
    byte[] content = (HEADER + "# a comment\n" + validLine() + "\n" + String.join("\t", f) + "\n").getBytes(UTF_8);
    Path file = write(content);
    PinStoreException e = assertThrows(PinStoreException.class, () -> FilePinStore.open(file));
    assertRefusal(e, file, 4, expected);
    assertArrayEquals(content, Files.readAllBytes(file));
  }

  /** A missing or extra field (a tab lost or added by an editor) refuses the file, counting the fields. */
  @ParameterizedTest
  @CsvSource({"7", "9"})
  void open_wrongFieldCount_refusesCountingFields(int count) throws Exception {
    List<String> f = new ArrayList<>(List.of(validLine().split("\t", -1)));
    while (f.size() > count) {
      f.remove(f.size() - 1);
    }
    while (f.size() < count) {
      f.add("extra");
    }
    byte[] content = (HEADER + String.join("\t", f) + "\n").getBytes(UTF_8);
    Path file = write(content);
    PinStoreException e = assertThrows(PinStoreException.class, () -> FilePinStore.open(file));
    assertRefusal(e, file, 2, "found " + count + " tab-separated fields, expected 8");
  }

  /** Two lines for one record (a hand edit) would make "no duplicates" a lie: refused, naming both lines. */
  @Test
  void open_sameRecordTwice_refusesNamingBothLines() throws Exception {
    Path file = write((HEADER + validLine() + "\n\n" + validLine() + "\n").getBytes(UTF_8));
    PinStoreException e = assertThrows(PinStoreException.class, () -> FilePinStore.open(file));
    assertRefusal(e, file, 4, "as line 2");
  }

  /** Bytes that are not UTF-8 are refused rather than decoded to replacement characters. */
  @Test
  void open_invalidUtf8_refusesNamingLine() throws Exception {
    byte[] line = (validLine() + "\n").getBytes(UTF_8);
    line[line.length - 3] = (byte) 0xff;
    byte[] content = com.google.common.primitives.Bytes.concat(HEADER.getBytes(UTF_8), line);
    Path file = write(content);
    PinStoreException e = assertThrows(PinStoreException.class, () -> FilePinStore.open(file));
    assertRefusal(e, file, 2, "not valid UTF-8");
  }

  /** People may annotate the file: blank lines and # comments after the header are allowed, and CRLF too. */
  @Test
  void open_commentsBlankLinesAndCrlf_readsThePins() throws Exception {
    String text = HEADER + "\n# pinned during setup, see ticket 42\n   \n\t\n" + validLine() + "\n# end\n";
    Path file = write(text.replace("\n", "\r\n").getBytes(UTF_8));
    assertEquals(List.of(pin("alice", "leaf")), FilePinStore.open(file).all());
  }

  /** A pin line made by the store itself, for a pin of "alice" on certificate "leaf". */
  private String validLine() {
    String text = new String(PinFileFormat.format(PinList.of(List.of(pin("alice", "leaf")))), UTF_8);
    return text.split("\n")[2];
  }

  private Path write(byte[] content) throws java.io.IOException {
    Path file = dir.resolve("pins.txt");
    Files.write(file, content);
    return file;
  }

  /** The message names the file, the line, what is wrong, and says the file was left untouched. */
  static void assertRefusal(PinStoreException e, Path file, int line, String what) throws java.io.IOException {
    String m = e.getMessage();
    assertTrue(m.contains(file.toRealPath().toString()), m);
    assertTrue(m.contains(": line " + line + ": "), "expected line " + line + ": " + m);
    assertTrue(m.contains(what), "expected \"" + what + "\": " + m);
    assertTrue(m.contains("The file was left untouched"), m);
    assertTrue(m.contains("Fix: "), m);
  }
}
