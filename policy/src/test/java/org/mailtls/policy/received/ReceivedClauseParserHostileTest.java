package org.mailtls.policy.received;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile Received fields (R8314-S-17, requirements.md B.8): the field is partly written by the
 * sending client, so anything unparseable is refused with an {@link IllegalArgumentException}
 * naming the offset, and no other exception ever escapes.
 */
class ReceivedClauseParserHostileTest {
  private static final String DATE = "; Mon, 1 Jan 2024 10:00:00 +0000";

  @Test
  void parse_veryLongSuite_refusedWithShortMessage() {
    String field = "from a by b tls " + "A".repeat(20_000) + DATE;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().contains("tls clause value at offset 16"), e.getMessage());
    assertTrue(e.getMessage().length() < 400, e.getMessage());
  }

  @Test
  void parse_veryLongGroup_refused() {
    String field = "from a by b tls TLS_A group x" + "9".repeat(ReceivedTlsClause.MAX_NAME_LENGTH) + DATE;
    assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
  }

  @Test
  void parse_fieldOverLengthLimit_refusedBeforeScanning() {
    String field = "from a by b (" + "x".repeat(ReceivedClauseParser.MAX_FIELD_LENGTH) + ")" + DATE;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().contains("more than the 32768 accepted"), e.getMessage());
  }

  @Test
  void parse_deeplyNestedUnbalancedComment_refusedWithoutStackOverflow() {
    String field = "from a by b " + "(".repeat(30_000) + DATE;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().contains("the '(' at offset 12 has no matching ')'"), e.getMessage());
  }

  @Test
  void parse_deeplyNestedBalancedComment_accepted() {
    String field = "from a by b " + "(".repeat(10_000) + "tls X" + ")".repeat(10_000) + " tls TLS_A" + DATE;
    assertEquals(Optional.of(ReceivedTlsClause.of("TLS_A")), ReceivedClauseParser.parse(field));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "from a (by b" + DATE,
      "from a by b (tls TLS_A" + DATE,
      "from a by b ((tls TLS_A)" + DATE,
      "from a by b (tls \\)" + DATE})
  void parse_unbalancedOpeningParenthesis_refused(String field) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().contains("unterminated comment"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"from a) by b" + DATE, "from a by b tls TLS_A)" + DATE, "from a by b" + DATE + ")",
      "from a] by b" + DATE, "from a> by b" + DATE})
  void parse_unbalancedClosingBracket_refusedNamingOffset(String field) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().contains("unbalanced"), e.getMessage());
    assertTrue(e.getMessage().contains("offset "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "from a\rby b" + DATE,
      "from a\nby b" + DATE,
      "from a by b\r\n" + DATE,
      "from a by b tls TLS_A" + DATE + "\r\n",
      "from a by b tls TLS_A" + DATE + "\r",
      "from a by b\n tls TLS_A" + DATE,
      "from a by b\r \n tls TLS_A" + DATE,
      "from a by b (comment\r) tls TLS_A" + DATE,
      "from a by b (comment\n) tls TLS_A" + DATE,
      "from a by b (escaped \\\r\n break) tls TLS_A" + DATE,
      "from a by b for <\"x\ny\"@example> tls TLS_A" + DATE,
      "from [192.0.2.1\r] by b" + DATE,
      "from a by b for <bob@exa\r\n mple> tls TLS_A" + DATE})
  void parse_bareCrOrLfOrFoldWithoutWhiteSpace_refused(String field) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().startsWith("malformed Received field: "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\u0001", "\u001b", "\u007f", "\u0085", "\u000b", "\u000c"})
  void parse_controlCharacters_refusedEverywhere(String control) {
    for (String field : new String[] {"from a" + control + " by b" + DATE, "from a (x" + control + ") by b" + DATE,
        "from \"a" + control + "\" by b" + DATE, "from [a" + control + "] by b" + DATE,
        "from a by b (\\" + control + ")" + DATE}) {
      assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field), field);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "from \"a by b" + DATE,
      "from [192.0.2.1 by b" + DATE,
      "from [192.[0].2.1] by b" + DATE,
      "from a by b for <bob@example.net" + DATE,
      "from a by b for <bob@example.net tls TLS_A>" + DATE,
      "from a by b for <bob(x)@example.net>" + DATE,
      "from a\\ by b" + DATE,
      "from a by b (\\"})
  void parse_unterminatedOrMisplacedDelimiters_refused(String field) {
    assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
  }

  @Test
  void parse_null_rejected() {
    assertThrows(NullPointerException.class, () -> ReceivedClauseParser.parse(null));
  }

  /** Random text over the characters that matter: a result or an IllegalArgumentException, nothing else. */
  @Property(tries = 2000)
  void property_randomText_onlyResultOrIllegalArgument(@ForAll("hostileText") String field) {
    try {
      ReceivedClauseParser.parse(field);
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().startsWith("malformed Received field: "), expected.getMessage());
    }
  }

  /** Valid fields with one random character inserted, removed or replaced: the same guarantee. */
  @Property(tries = 2000)
  void property_mutatedValidField_onlyResultOrIllegalArgument(
      @ForAll long seed, @ForAll("hostileChars") char c, @ForAll int where, @ForAll("edits") int edit) {
    String valid = new ReceivedFieldGenerator(seed)
        .fieldWith(ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256").withGroup("x25519"));
    int at = Math.floorMod(where, valid.length());
    String field = edit == 0 ? valid.substring(0, at) + c + valid.substring(at)
        : edit == 1 ? valid.substring(0, at) + valid.substring(at + 1)
        : valid.substring(0, at) + c + valid.substring(at + 1);
    try {
      ReceivedClauseParser.parse(field);
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().startsWith("malformed Received field: "), expected.getMessage());
    }
  }

  @Provide
  Arbitrary<String> hostileText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("()[]<>\";\\ \t\r\nxX0tlsgroupTLS_A-:@.,é\u0000\u017f").ofMaxLength(120),
        Arbitraries.strings().all().ofMaxLength(60),
        Arbitraries.of("tls", "group", "from", "by", ";", "(", ")", "\\", "\r\n ", "\"", "[", "]", "<", ">", "0x",
            "TLS_A", "x25519", " ").list().ofMaxSize(40).map(parts -> String.join(" ", parts)));
  }

  @Provide
  Arbitrary<Character> hostileChars() {
    return Arbitraries.of("()[]<>\";\\ \t\r\n\u0000\u007f\u00e9".toCharArray());
  }

  @Provide
  Arbitrary<Integer> edits() {
    return Arbitraries.integers().between(0, 2);
  }
}
