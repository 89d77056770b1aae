package org.mailtls.policy.pin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mailtls.policy.identity.MailService;

/**
 * Escaping of the free-text fields of the pin file (account id, reason: the user-supplied context
 * of RFC 6125 §7.1, SI-22): any string survives a trip through the file, and no string can add a
 * field or a line, which would forge a pin for another account (R8314-C-30).
 */
class PinFieldEscapingTest {

  @Property(tries = 2000)
  void escapeThenUnescape_anyString_sameStringNoSeparatorsOrControls(@ForAll("text") String value) {
    String escaped = PinFieldEscaping.escape(value);
    assertEquals(value, PinFieldEscaping.unescape(escaped));
    assertTrue(escaped.chars().noneMatch(c -> c == '\t' || c == '\n' || c == '\r' || c < 0x20 || c == 0x7f),
        escaped);
    assertEquals(escaped, new String(escaped.getBytes(UTF_8), UTF_8), "UTF-8 carries it unchanged");
  }

  /** Whole records: account and reason of any content come back from the file format unchanged. */
  @Property(tries = 500)
  void formatThenParse_anyAccountAndReason_samePins(@ForAll("text") String account, @ForAll("text") String reason)
      throws PinStoreException {
    Assume.that(!account.isBlank() && account.indexOf('\n') < 0);
    Assume.that(reason.indexOf('\n') < 0);
    String sha = PinFixtures.sha(account);
    PinList pins = PinList.of(List.of(CertificatePin.of(account, "imap.example.net", 993, MailService.IMAPS, sha,
        Instant.EPOCH, List.of(sha), reason)));
    assertEquals(pins, PinFileFormat.parse(PinFileFormat.format(pins), Path.of("pins.txt"), "test"));
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(24),
        Arbitraries.strings().withChars("\\tnru0\t\r\n,#\u0000\u0085\u2028\u202e\u200d\ud83d\ude00\udc00ä ")
            .ofMaxLength(24));
  }

  @Example
  void unescape_unknownOrCutEscape_rejected() {
    for (String bad : List.of("\\x", "\\", "a\\u12", "\\u12g4", "\\T", "\\0")) {
      assertThrows(IllegalArgumentException.class, () -> PinFieldEscaping.unescape(bad), bad);
    }
  }

  /** A leading '#' would make the pin line a comment, and the pin would vanish on the next read. */
  @Example
  void escape_leadingHash_escapedSoTheLineIsNoComment() {
    assertEquals("\\u0023alice#x", PinFieldEscaping.escape("#alice#x"));
    assertEquals("#alice#x", PinFieldEscaping.unescape("\\u0023alice#x"));
  }

  @Example
  void escape_tabBackslashBidiOverride_readableEscapes() {
    assertEquals("a\\tb\\\\c\\u202ed\\nü", PinFieldEscaping.escape("a\tb\\c\u202ed\nü"));
  }
}
