package org.mailtls.policy.received;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Round trips (R8314-S-17, requirements.md B.8 "grammar test on generated headers; round-trip
 * parse"): any valid clause, rendered and embedded in a randomly folded and commented Received
 * field, parses back equal; and {@link ReceivedHeaders} output always parses back.
 */
class ReceivedRoundTripPropertyTest {
  private static final String ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String SUITE_CHARS = ALPHA + "0123456789_";
  private static final String GROUP_CHARS = SUITE_CHARS + "-";

  /** Valid clauses: a grammar-shaped name or any 16-bit code point, with or without a group. */
  @Provide
  Arbitrary<ReceivedTlsClause> clauses() {
    Arbitrary<String> suiteNames = Combinators.combine(
            Arbitraries.of(ALPHA.toCharArray()),
            Arbitraries.strings().withChars(SUITE_CHARS).ofMaxLength(ReceivedTlsClause.MAX_NAME_LENGTH - 1))
        .as((first, rest) -> first + rest)
        .filter(name -> !CipherSuiteTable.JSSE_LEGACY.containsKey(name));
    Arbitrary<ReceivedTlsClause> suites = Arbitraries.oneOf(
        suiteNames.map(ReceivedTlsClause::of),
        Arbitraries.integers().between(0, 0xFFFF).map(ReceivedTlsClause::ofCodePoint),
        Arbitraries.of(CipherSuiteTable.IANA.values()).map(ReceivedTlsClause::of));
    Arbitrary<String> groups = Combinators.combine(
            Arbitraries.of(ALPHA.toCharArray()),
            Arbitraries.strings().withChars(GROUP_CHARS).ofMaxLength(ReceivedTlsClause.MAX_NAME_LENGTH - 1))
        .as((first, rest) -> first + rest);
    return Combinators.combine(suites, groups.injectNull(0.4))
        .as((suite, group) -> group == null ? suite : suite.withGroup(group));
  }

  /** B.8: render, embed with random folding and comments, parse: the same clause comes back. */
  @Property(tries = 1000)
  void property_clauseInRandomlyFoldedCommentedField_parsesBackEqual(
      @ForAll("clauses") ReceivedTlsClause clause, @ForAll long seed) {
    String field = new ReceivedFieldGenerator(seed).fieldWith(clause);
    assertEquals(Optional.of(clause), ReceivedClauseParser.parse(field), () -> printable(field));
  }

  /** The rendered text itself is what the generator embeds for names (hex differs only in case). */
  @Property(tries = 300)
  void property_renderedClauseText_parsesBackEqual(@ForAll("clauses") ReceivedTlsClause clause) {
    String field = "Received: from a.example by b.example " + clause.render() + "; Mon, 1 Jan 2024 10:00:00 +0000";
    assertEquals(Optional.of(clause), ReceivedClauseParser.parse(field), field);
  }

  /** The same field with the clause removed parses to empty: only the clause carries the answer. */
  @Property(tries = 300)
  void property_fieldWithoutClause_empty(@ForAll("clauses") ReceivedTlsClause clause, @ForAll long seed) {
    ReceivedFieldGenerator gen = new ReceivedFieldGenerator(seed);
    String field = "Received:" + gen.cfws() + "from" + gen.fws() + "a.example" + gen.cfws() + "by" + gen.fws()
        + "b.example" + gen.comment(0) + "; Mon, 1 Jan 2024 10:00:00 +0000" + gen.comment(0)
        + " (" + clause.render() + ")";
    assertEquals(Optional.empty(), ReceivedClauseParser.parse(field), () -> printable(field));
  }

  /** ReceivedHeaders output parses back to its clause, folded with CRLF + tab within 78 columns. */
  @Property(tries = 1000)
  void property_formattedField_parsesBackAndFoldsWithinWidth(
      @ForAll("clauses") ReceivedTlsClause clause,
      @ForAll("hosts") String from, @ForAll("hosts") String by, @ForAll boolean withId,
      @ForAll("instants") Instant when) {
    ReceivedHeaders.Builder builder = ReceivedHeaders.builder()
        .from(from, from + " [192.0.2.10]").by(by).with("ESMTPSA").forPath("<bob@" + by + ">")
        .tls(clause).date(OffsetDateTime.ofInstant(when, ZoneOffset.ofHours(-8)));
    if (withId) {
      builder.id("7F3A2");
    }
    String field = builder.format();
    assertEquals(Optional.of(clause), ReceivedClauseParser.parse(field), field);
    for (String line : field.split("\r\n", -1)) {
      assertTrue(line.length() <= ReceivedHeaders.FOLD_WIDTH, () -> "line too long in " + field);
    }
    assertTrue(field.replace("\r\n\t", "").indexOf('\r') < 0, field);
  }

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1).ofMaxLength(20)
        .list().ofMinSize(2).ofMaxSize(3).map(labels -> String.join(".", labels));
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.longs().between(0, 253402300799L).map(Instant::ofEpochSecond);
  }

  private static String printable(String field) {
    return field.replace("\r\n", "<CRLF>").replace("\t", "<TAB>");
  }
}
