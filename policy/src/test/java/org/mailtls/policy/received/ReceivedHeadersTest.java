package org.mailtls.policy.received;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writing a whole Received field (R8314-S-10, R8314-S-17, requirements.md B.8, RFC 5321 §4.4). */
class ReceivedHeadersTest {
  private static final OffsetDateTime DATE = OffsetDateTime.of(2024, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC);

  private static ReceivedHeaders.Builder b8First() {
    return ReceivedHeaders.builder()
        .from("client.example.org", "client.example.org [192.0.2.10]")
        .by("submit.example.net").with("ESMTPSA").id("7F3A2").forPath("<bob@example.com>")
        .date(DATE);
  }

  /** The first B.8 example, written in one call, folded with CRLF + tab. */
  @Test
  void format_b8FirstExample_foldedFieldThatParsesBack() {
    ReceivedTlsClause clause = ReceivedTlsClause.of("TLS_AES_256_GCM_SHA384").withGroup("x25519");
    String field = b8First().tls(clause).format();
    assertEquals("Received: from client.example.org (client.example.org [192.0.2.10])\r\n"
        + "\tby submit.example.net with ESMTPSA id 7F3A2 for <bob@example.com>\r\n"
        + "\ttls TLS_AES_256_GCM_SHA384 group x25519; Mon, 1 Jan 2024 10:00:00 +0000", field);
    assertEquals(Optional.of(clause), ReceivedClauseParser.parse(field));
  }

  @Test
  void format_codePointClause_hexFormInPlace() {
    String field = ReceivedHeaders.builder().from("[192.0.2.12]").by("submit.example.net").with("ESMTPSA")
        .id("7F3A4").tls(ReceivedTlsClause.ofCodePoint(0xCCA9))
        .date(OffsetDateTime.of(2024, 1, 1, 10, 0, 2, 0, ZoneOffset.UTC)).format();
    assertEquals("Received: from [192.0.2.12] by submit.example.net with ESMTPSA id 7F3A4\r\n"
        + "\ttls 0xCCA9; Mon, 1 Jan 2024 10:00:02 +0000", field);
    assertEquals(Optional.of(ReceivedTlsClause.ofCodePoint(0xCCA9)), ReceivedClauseParser.parse(field));
  }

  @Test
  void format_optionalClausesInRfc5321Order_whateverTheCallOrder() {
    String field = ReceivedHeaders.builder().date(DATE).tls(ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256"))
        .forPath("<a@b.example>").id("1").with("ESMTPS").by("b.example").from("a.example").format();
    assertEquals("Received: from a.example by b.example with ESMTPS id 1 for <a@b.example>\r\n"
        + "\ttls TLS_AES_128_GCM_SHA256; Mon, 1 Jan 2024 10:00:00 +0000", field);
  }

  @Test
  void format_withoutTls_noClauseAndParsesToEmpty() {
    String field = ReceivedHeaders.builder().from("a.example").by("b.example").date(DATE).format();
    assertEquals("Received: from a.example by b.example; Mon, 1 Jan 2024 10:00:00 +0000", field);
    assertEquals(Optional.empty(), ReceivedClauseParser.parse(field));
  }

  /** RFC 5321 §4.4 forbids the obsolete zone names: the zone is always numeric. */
  @Test
  void format_date_numericZoneAndEnglishNames() {
    String field = ReceivedHeaders.builder().from("a").by("b")
        .date(OffsetDateTime.of(2024, 7, 14, 8, 5, 9, 0, ZoneOffset.ofHoursMinutes(-3, -30))).format();
    assertTrue(field.endsWith("; Sun, 14 Jul 2024 08:05:09 -0330"), field);
  }

  @Test
  void format_missingRequiredPart_illegalState() {
    assertThrows(IllegalStateException.class, () -> ReceivedHeaders.builder().by("b").date(DATE).format());
    assertThrows(IllegalStateException.class, () -> ReceivedHeaders.builder().from("a").date(DATE).format());
    assertThrows(IllegalStateException.class, () -> ReceivedHeaders.builder().from("a").by("b").format());
  }

  @Test
  void builder_partSetTwice_illegalState() {
    assertThrows(IllegalStateException.class, () -> ReceivedHeaders.builder().from("a").from("b"));
    assertThrows(IllegalStateException.class, () -> ReceivedHeaders.builder().id("1").id("2"));
    ReceivedTlsClause clause = ReceivedTlsClause.of("TLS_A");
    assertThrows(IllegalStateException.class, () -> ReceivedHeaders.builder().tls(clause).tls(clause));
  }

  /** A part that is not one token could smuggle a clause (R8314-S-17): refused. */
  @ParameterizedTest
  @ValueSource(strings = {"a tls TLS_FAKE", "a;", "a (c)", "", " a", "a\r\n b", "a\nb", "(c)", "a)", "\"a"})
  void builder_partNotASingleToken_refused(String part) {
    assertThrows(IllegalArgumentException.class, () -> ReceivedHeaders.builder().from(part));
    assertThrows(IllegalArgumentException.class, () -> ReceivedHeaders.builder().by(part));
    assertThrows(IllegalArgumentException.class, () -> ReceivedHeaders.builder().with(part));
    assertThrows(IllegalArgumentException.class, () -> ReceivedHeaders.builder().id(part));
    assertThrows(IllegalArgumentException.class, () -> ReceivedHeaders.builder().forPath(part));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "x) tls TLS_FAKE (y", "a (b) c", "a\\", "a\r\n b", "a\u0000"})
  void builder_badTcpInfo_refused(String tcpInfo) {
    assertThrows(IllegalArgumentException.class, () -> ReceivedHeaders.builder().from("a", tcpInfo));
  }

  @Test
  void builder_tokensThatLookLikeKeywords_stayValues() {
    ReceivedTlsClause clause = ReceivedTlsClause.of("TLS_REAL");
    String field = ReceivedHeaders.builder().from("tls").by("group").with("tls").id("group")
        .forPath("<\"tls TLS_FAKE\"@example.net>").tls(clause).date(DATE).format();
    assertEquals(Optional.of(clause), ReceivedClauseParser.parse(field));
  }

  /** Regression (found by the round-trip property): a 9-character folded line must still fold. */
  @Test
  void format_shortFoldedLineThenLongUnit_foldsAgain() {
    String host = "aaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaa";
    String field = ReceivedHeaders.builder().from("a.a", "a.a [192.0.2.10]").by(host).with("ESMTPSA")
        .id("7F3A2").forPath("<bob@" + host + ">").tls(ReceivedTlsClause.of("A")).date(DATE).format();
    assertEquals("Received: from a.a (a.a [192.0.2.10])\r\n"
        + "\tby " + host + " with ESMTPSA\r\n"
        + "\tid 7F3A2\r\n"
        + "\tfor <bob@" + host + "> tls A;\r\n"
        + "\tMon, 1 Jan 2024 10:00:00 +0000", field);
  }

  @Test
  void format_partTooLongForAnyLine_refused() {
    String longHost = "a".repeat(1000);
    assertThrows(IllegalArgumentException.class,
        () -> ReceivedHeaders.builder().from(longHost).by("b").date(DATE).format());
  }

  @Test
  void nullArguments_rejected() {
    NullPointerTester tester = new NullPointerTester().setDefault(OffsetDateTime.class, DATE)
        .setDefault(ReceivedTlsClause.class, ReceivedTlsClause.of("TLS_A"));
    tester.testAllPublicStaticMethods(ReceivedHeaders.class);
    tester.testAllPublicInstanceMethods(ReceivedHeaders.builder());
  }
}
