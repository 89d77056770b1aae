package org.mailtls.policy.received;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finding the clause in whole Received fields (R8314-S-10, R8314-S-17, requirements.md B.8, RFC
 * 8314 §4.3, RFC 5321 §4.4, RFC 5322 §3.2.2).
 */
class ReceivedClauseParserTest {
  private static final String CRLF = "\r\n";

  /** The three example fields of requirements.md B.8, folded as printed there (CRLF + 8 spaces). */
  static Stream<Arguments> b8Examples() {
    return Stream.of(
        Arguments.of("Received: from client.example.org (client.example.org [192.0.2.10])" + CRLF
            + "        by submit.example.net with ESMTPSA id 7F3A2 for <bob@example.com>" + CRLF
            + "        tls TLS_AES_256_GCM_SHA384 group x25519; Mon, 1 Jan 2024 10:00:00 +0000",
            ReceivedTlsClause.of("TLS_AES_256_GCM_SHA384").withGroup("x25519"),
            "tls TLS_AES_256_GCM_SHA384 group x25519"),
        Arguments.of("Received: from [192.0.2.11] by submit.example.net with ESMTPSA id 7F3A3" + CRLF
            + "        tls TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 group secp256r1; Mon, 1 Jan 2024 10:00:01 +0000",
            ReceivedTlsClause.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").withGroup("secp256r1"),
            "tls TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 group secp256r1"),
        Arguments.of("Received: from [192.0.2.12] by submit.example.net with ESMTPSA id 7F3A4" + CRLF
            + "        tls 0xCCA9; Mon, 1 Jan 2024 10:00:02 +0000",
            ReceivedTlsClause.ofCodePoint(0xCCA9), "tls 0xCCA9"));
  }

  @ParameterizedTest
  @MethodSource("b8Examples")
  void parse_b8Examples_expectedClauseThatRendersBack(String field, ReceivedTlsClause expected, String text) {
    ReceivedTlsClause clause = ReceivedClauseParser.parse(field).orElseThrow();
    assertEquals(expected, clause);
    assertEquals(text, clause.render());
    assertTrue(field.contains(clause.render() + ";"), field);
  }

  @ParameterizedTest
  @MethodSource("b8Examples")
  void parse_b8ExamplesWithoutFieldName_sameClause(String field, ReceivedTlsClause expected, String text) {
    assertEquals(Optional.of(expected), ReceivedClauseParser.parse(field.substring("Received:".length())));
  }

  @Test
  void parse_noTlsClause_empty() {
    assertEquals(Optional.empty(), ReceivedClauseParser.parse(
        "from client.example.org by submit.example.net with ESMTPS id 1; Mon, 1 Jan 2024 10:00:00 +0000"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLS", "Tls", "tLs", "TLs"})
  void parse_keywordInAnyAsciiCase_found(String keyword) {
    String field = "from a.example by b.example " + keyword + " TLS_AES_128_GCM_SHA256 GROUP x25519;"
        + " Mon, 1 Jan 2024 10:00:00 +0000";
    assertEquals(Optional.of(ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256").withGroup("x25519")),
        ReceivedClauseParser.parse(field));
    assertEquals(Optional.of(ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256").withGroup("x25519")),
        ReceivedClauseParser.parse(field.replace("GROUP", "Group")));
  }

  /** Java's equalsIgnoreCase folds U+017F to 's' and U+0130 to 'i'; keywords are ASCII only. */
  @ParameterizedTest
  @ValueSource(strings = {"tl\u017f", "TL\u017F", "\u0074ls\u200b"})
  void parse_unicodeLookalikeKeyword_notTls(String keyword) {
    assertEquals(Optional.empty(), ReceivedClauseParser.parse(
        "from a by b " + keyword + " TLS_FAKE; Mon, 1 Jan 2024 10:00:00 +0000"));
  }

  @Test
  void parse_hexInAnyCase_normalisedCodePoint() {
    assertEquals(Optional.of(ReceivedTlsClause.ofCodePoint(0xC02F)),
        ReceivedClauseParser.parse("from a by b tls 0Xc02f; Mon, 1 Jan 2024 10:00:00 +0000"));
  }

  @Test
  void parse_unregisteredWellFormedNames_accepted() {
    assertEquals(Optional.of(ReceivedTlsClause.of("TLS_NOT_YET_REGISTERED").withGroup("NewGroup-2")),
        ReceivedClauseParser.parse("from a by b tls TLS_NOT_YET_REGISTERED group NewGroup-2; Mon, 1 Jan 2024 10:00:00 +0000"));
  }

  @Test
  void parse_tlsOnlyInsideComment_ignored() {
    assertEquals(Optional.empty(), ReceivedClauseParser.parse(
        "from a (tls FAKE) by b (note (tls TLS_NESTED group x) \\) tls X) with ESMTPS id 1;"
            + " Mon, 1 Jan 2024 10:00:00 +0000"));
  }

  @Test
  void parse_commentBeforeTheRealClause_realClauseFound() {
    assertEquals(Optional.of(ReceivedTlsClause.of("TLS_AES_256_GCM_SHA384")),
        ReceivedClauseParser.parse("from a by b (tls FAKE group x) tls TLS_AES_256_GCM_SHA384;"
            + " Mon, 1 Jan 2024 10:00:00 +0000"));
  }

  @Test
  void parse_tlsAfterTheSemicolon_ignored() {
    assertEquals(Optional.empty(), ReceivedClauseParser.parse(
        "from a by b with ESMTP id 1; Mon, 1 Jan 2024 10:00:00 +0000 tls TLS_AFTER_DATE group x"));
    assertEquals(Optional.of(ReceivedTlsClause.of("TLS_A")), ReceivedClauseParser.parse(
        "from a by b tls TLS_A; Mon, 1 Jan 2024 10:00:00 +0000; tls TLS_B"));
  }

  @Test
  void parse_tlsInsideDomainLiteralQuotedStringOrPath_ignored() {
    assertEquals(Optional.empty(), ReceivedClauseParser.parse(
        "from [tls TLS_FAKE] by b for <\"x tls TLS_FAKE;\"@example.net>; Mon, 1 Jan 2024 10:00:00 +0000"));
  }

  @Test
  void parse_tlsAsValueOfAnotherClause_notAKeyword() {
    assertEquals(Optional.empty(), ReceivedClauseParser.parse(
        "from tls by group with tls id group; Mon, 1 Jan 2024 10:00:00 +0000"));
  }

  /** A Postfix-style field: the TLS details it writes in a comment are not a tls clause. */
  @Test
  void parse_postfixStyleCommentary_onlyTheClauseCounts() {
    String field = "Received: from client.example.org (client.example.org [192.0.2.10])" + CRLF
        + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)" + CRLF
        + "\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)" + CRLF
        + "\t(No client certificate requested)" + CRLF
        + "\tby submit.example.net (Postfix) with ESMTPSA id 4Xabc1 for <bob@example.com>;" + CRLF
        + "\tMon,  1 Jan 2024 10:00:00 +0000 (UTC)";
    assertEquals(Optional.empty(), ReceivedClauseParser.parse(field));
    String withClause = field.replace("4Xabc1 for", "4Xabc1 tls TLS_AES_256_GCM_SHA384 group x25519 for");
    assertEquals(Optional.of(ReceivedTlsClause.of("TLS_AES_256_GCM_SHA384").withGroup("x25519")),
        ReceivedClauseParser.parse(withClause));
  }

  /** Leniency: RFC 5321 puts FWS, not CFWS, between keyword and value; a comment there is accepted. */
  @Test
  void parse_commentBetweenKeywordAndValue_accepted() {
    assertEquals(Optional.of(ReceivedTlsClause.of("TLS_A").withGroup("x25519")), ReceivedClauseParser.parse(
        "from a by b tls (suite) TLS_A group\r\n (named group) x25519; Mon, 1 Jan 2024 10:00:00 +0000"));
  }

  @Test
  void parse_groupWithoutTls_refusedNamingOffset() {
    String field = "from a by b group x25519; Mon, 1 Jan 2024 10:00:00 +0000";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().contains("offset " + field.indexOf("group")), e.getMessage());
    assertTrue(e.getMessage().contains("does not directly follow a tls clause"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "from a by b group x25519 tls TLS_A; Mon, 1 Jan 2024 10:00:00 +0000",
      "from a by b tls TLS_A id 1 group x25519; Mon, 1 Jan 2024 10:00:00 +0000",
      "from a by b tls TLS_A group x25519 group x448; Mon, 1 Jan 2024 10:00:00 +0000"})
  void parse_groupNotDirectlyAfterTls_refused(String field) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().contains("group clause at offset"), e.getMessage());
  }

  @Test
  void parse_twoTlsClauses_refusedNamingTheSecond() {
    String field = "from a by b tls TLS_A with ESMTPS TLS TLS_B; Mon, 1 Jan 2024 10:00:00 +0000";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().contains("second tls clause at offset " + field.indexOf("TLS TLS_B")),
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1TLS", "TLS-AES", "\"TLS_A\"", "[TLS_A]", "<TLS_A>", "TLS_A.B", "0x12", "0xZZZZ",
      "TLS_A\u00e9"})
  void parse_malformedSuite_refusedNamingOffset(String suite) {
    String field = "from a by b tls " + suite + "; Mon, 1 Jan 2024 10:00:00 +0000";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().contains("tls clause value at offset 16"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"25519", "x_25519!", "\"x25519\"", "x.25519"})
  void parse_malformedGroup_refusedNamingOffset(String group) {
    String field = "from a by b tls TLS_A group " + group + "; Mon, 1 Jan 2024 10:00:00 +0000";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().contains("group clause value at offset 28"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "from a by b tls; Mon, 1 Jan 2024 10:00:00 +0000",
      "from a by b tls TLS_A group; Mon, 1 Jan 2024 10:00:00 +0000",
      "from a by b tls TLS_A",
      "from a by b tls TLS_A;",
      "from a by b tls TLS_A ;   ",
      "; Mon, 1 Jan 2024 10:00:00 +0000",
      "(only a comment); Mon, 1 Jan 2024 10:00:00 +0000",
      "",
      "from a by b <bob@example.net> x; Mon, 1 Jan 2024 10:00:00 +0000"})
  void parse_notAStamp_refused(String field) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedClauseParser.parse(field));
    assertTrue(e.getMessage().startsWith("malformed Received field: "), e.getMessage());
  }
}
