package org.mailtls.policy.received;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableSet;
import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailtls.policy.tls.CipherSuites;
import org.mailtls.policy.tls.NamedGroups;

/** The clause value (R8314-S-17, requirements.md B.8, RFC 8314 §4.3). */
class ReceivedTlsClauseTest {

  @Test
  void render_nameAndGroup_isTheB8ClauseText() {
    ReceivedTlsClause clause = ReceivedTlsClause.of("TLS_AES_256_GCM_SHA384").withGroup("x25519");
    assertEquals("tls TLS_AES_256_GCM_SHA384 group x25519", clause.render());
    assertEquals("TLS_AES_256_GCM_SHA384", clause.suite());
    assertEquals(Optional.of("TLS_AES_256_GCM_SHA384"), clause.suiteName());
    assertEquals(OptionalInt.of(0x1302), clause.codePoint());
    assertEquals(Optional.of("x25519"), clause.group());
    assertEquals("tls TLS_AES_256_GCM_SHA384 group x25519", clause.toString());
  }

  @Test
  void ofCodePoint_rendersLowerCase0xAndUpperCaseHexDigits() {
    ReceivedTlsClause clause = ReceivedTlsClause.ofCodePoint(0xcca9);
    assertEquals("tls 0xCCA9", clause.render());
    assertEquals(Optional.empty(), clause.suiteName());
    assertEquals(OptionalInt.of(0xCCA9), clause.codePoint());
    assertEquals("tls 0x0000", ReceivedTlsClause.ofCodePoint(0).render());
    assertEquals("tls 0x00FF", ReceivedTlsClause.ofCodePoint(0xFF).render());
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0x10000, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void ofCodePoint_outside16Bits_refused(int codePoint) {
    assertThrows(IllegalArgumentException.class, () -> ReceivedTlsClause.ofCodePoint(codePoint));
  }

  @Test
  void parseSuite_hexInAnyCase_normalisedToUpperCaseDigits() {
    assertEquals(ReceivedTlsClause.ofCodePoint(0xCCA9), ReceivedTlsClause.parseSuite("0xcca9"));
    assertEquals(ReceivedTlsClause.ofCodePoint(0xCCA9), ReceivedTlsClause.parseSuite("0XcCa9"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x", "0xCCA", "0xCCA9A", "0xGGGG", "0x１２３４", "0x+123", "0x-123"})
  void parseSuite_malformedHex_refused(String token) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedTlsClause.parseSuite(token));
    assertTrue(e.getMessage().contains("RFC 8314"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1TLS", "_TLS", "TLS-AES", "TLS AES", "TLS.AES", "TLS_AES\u00e9", "TLS_\u212a",
      "TLS_AES_256_GCM_SHA384\n"})
  void of_outsideSuiteGrammar_refused(String name) {
    assertThrows(IllegalArgumentException.class, () -> ReceivedTlsClause.of(name));
  }

  @Test
  void of_unregisteredButWellFormedName_accepted() {
    ReceivedTlsClause clause = ReceivedTlsClause.of("TLS_FUTURE_SUITE_2030");
    assertEquals("tls TLS_FUTURE_SUITE_2030", clause.render());
    assertEquals(OptionalInt.empty(), clause.codePoint());
  }

  @Test
  void of_nameLongerThanLimit_refusedWithoutEchoingIt() {
    String name = "T".repeat(ReceivedTlsClause.MAX_NAME_LENGTH + 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedTlsClause.of(name));
    assertTrue(e.getMessage().length() < 200, e.getMessage());
    assertEquals(64, ReceivedTlsClause.of("T".repeat(64)).suite().length());
  }

  @Test
  void of_jsseLegacySpelling_refusedWithHint() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReceivedTlsClause.of("SSL_RSA_WITH_3DES_EDE_CBC_SHA"));
    assertTrue(e.getMessage().contains("forJsseSuite"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"x25519", "secp256r1", "X25519MLKEM768", "SecP256r1MLKEM768", "ffdhe2048",
      "brainpoolP256r1tls13", "arbitrary_explicit_prime_curves", "a-b"})
  void withGroup_ianaShapedNames_accepted(String group) {
    assertEquals(Optional.of(group), ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256").withGroup(group).group());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "25519", "-x", "x 25519", "x;25519", "x25519)", "x\u00e9"})
  void withGroup_outsideGroupGrammar_refused(String group) {
    ReceivedTlsClause clause = ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256");
    assertThrows(IllegalArgumentException.class, () -> clause.withGroup(group));
  }

  @Test
  void withGroup_replacesGroup_andLeavesOriginalUnchanged() {
    ReceivedTlsClause base = ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256");
    ReceivedTlsClause x = base.withGroup("x25519");
    assertEquals("tls TLS_AES_128_GCM_SHA256 group secp256r1", x.withGroup("secp256r1").render());
    assertEquals(Optional.empty(), base.group());
  }

  /** B.8 Java note: JSSE reports IANA names for standard suites; its SSL_ spellings are mapped. */
  @ParameterizedTest
  @CsvSource({
      "TLS_AES_128_GCM_SHA256, tls TLS_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "SSL_RSA_WITH_3DES_EDE_CBC_SHA, tls TLS_RSA_WITH_3DES_EDE_CBC_SHA",
      "SSL_DH_anon_WITH_RC4_128_MD5, tls TLS_DH_anon_WITH_RC4_128_MD5",
      "SSL_RSA_WITH_IDEA_CBC_SHA, tls TLS_RSA_WITH_IDEA_CBC_SHA",
      "SSL_NULL_WITH_NULL_NULL, tls TLS_NULL_WITH_NULL_NULL",
      // JSSE suites with a code point but no IANA name: the hex form, never an invented name
      "SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA, tls 0xFEFF",
      "NETSCAPE_RSA_FIPS_WITH_DES_CBC_SHA, tls 0xFFE1",
      "SSL_RSA_EXPORT1024_WITH_DES_CBC_SHA, tls 0x0062",
      "SSL_FORTEZZA_DMS_WITH_NULL_SHA, tls 0x001C",
  })
  void forJsseSuite_mapsToIanaNameOrCodePoint(String jsseName, String rendered) {
    assertEquals(rendered, ReceivedTlsClause.forJsseSuite(jsseName).render());
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLS_MADE_UP_SUITE", "SSL_MADE_UP", "tls_aes_128_gcm_sha256", "", "0x1301"})
  void forJsseSuite_unknownName_refusedNeverInvented(String jsseName) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReceivedTlsClause.forJsseSuite(jsseName));
    assertTrue(e.getMessage().contains("unknown cipher suite"), e.getMessage());
  }

  /** Every suite MailTLS may negotiate is written by name, with a known code point. */
  @Test
  void forJsseSuite_everyAllowedSuite_writtenByNameWithCodePoint() {
    for (String suite : CipherSuites.ALLOWED) {
      ReceivedTlsClause clause = ReceivedTlsClause.forJsseSuite(suite);
      assertEquals(Optional.of(suite), clause.suiteName());
      assertTrue(clause.codePoint().isPresent(), suite);
    }
    for (String group : NamedGroups.ALLOWED) {
      ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256").withGroup(group);
    }
  }

  /** The table never gives two names one code point or a name outside the grammar. */
  @Test
  void table_namesAreWellFormedAndDistinct() {
    CipherSuiteTable.IANA.forEach((code, name) -> {
      assertEquals(OptionalInt.of(code), ReceivedTlsClause.of(name).codePoint(), name);
      assertTrue(code >= 0 && code <= 0xFFFF, name);
    });
    CipherSuiteTable.JSSE_LEGACY.keySet().forEach(name ->
        assertTrue(!CipherSuiteTable.IANA.containsValue(name), name));
    assertEquals(CipherSuiteTable.IANA.size(), ImmutableSet.copyOf(CipherSuiteTable.IANA.values()).size());
  }

  @Test
  void equalsAndHashCode_byRenderedSuiteAndGroup() {
    new EqualsTester()
        .addEqualityGroup(ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256"),
            ReceivedTlsClause.forJsseSuite("TLS_AES_128_GCM_SHA256"))
        .addEqualityGroup(ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256").withGroup("x25519"))
        .addEqualityGroup(ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256").withGroup("X25519"))
        .addEqualityGroup(ReceivedTlsClause.ofCodePoint(0x1301), ReceivedTlsClause.parseSuite("0x1301"))
        .addEqualityGroup(ReceivedTlsClause.ofCodePoint(0x1301).withGroup("x25519"))
        .addEqualityGroup(ReceivedTlsClause.of("TLS_AES_256_GCM_SHA384"))
        .testEquals();
  }

  @Test
  void nullArguments_rejected() {
    NullPointerTester tester = new NullPointerTester();
    tester.testAllPublicStaticMethods(ReceivedTlsClause.class);
    tester.testAllPublicInstanceMethods(ReceivedTlsClause.of("TLS_AES_128_GCM_SHA256"));
  }
}
