package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailtls.testing.HeldCertificate;

/** Reference host-name normalization (B.2 step 1, SI-06, SI-07, SI-18). */
class DnsNameTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "mail.example.net|mail.example.net",
      "MAIL.Example.NET|mail.example.net",            // SI-06, RFC 4343
      "mail.example.net.|mail.example.net",           // B.1: one trailing dot stripped
      "bücher.example|xn--bcher-kva.example",         // SI-07
      "BÜCHER.example|xn--bcher-kva.example",         // UTS-46 case mapping
      "faß.de|xn--fa-hia.de",                         // IDNA2008 non-transitional, not IDNA2003's fass.de
      "\u212Aelvin.example|kelvin.example",           // U+212A KELVIN SIGN maps to k (UTS-46 mapping)
      "ｍａｉｌ.example.net|mail.example.net",          // full-width letters map to ASCII (UTS-46)
      "exa\u200Bmple.com|example.com",               // ZERO WIDTH SPACE is 'ignored' in UTS-46 (IDNA2003 did the same)
      "localhost|localhost",
      "xn--bcher-kva.example|xn--bcher-kva.example",
  })
  void parse_valid_normalized(String input, String ascii) {
    assertEquals(ascii, DnsName.parse(input).ascii());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", ".", "a..b", "-a.example", "a-.example", "a_b.example", "*.example.net", "a b.example",
      "mail.example.net..", "192.0.2.7", "127.1", "1.2.3.4.5", "example.123", "xn--.example",
      "a\u0000b.example", "\u0661\u06F1.example", "a\u200Db.example", "127.0.0.0x1", "10.0xff",
  })
  void parse_invalid_rejectedWithInput(String input) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DnsName.parse(input));
    assertTrue(e.getMessage().length() > 8, e.getMessage());
  }

  @Test
  void parse_overlongLabel_rejectedNamingTheRule() {
    String label = "a".repeat(64);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DnsName.parse(label + ".example"));
    assertTrue(e.getMessage().contains("label"), e.getMessage());
  }

  @Test
  void parse_300CharLabel_rejected() {
    assertThrows(IllegalArgumentException.class, () -> DnsName.parse("a".repeat(300) + ".example"));
  }

  /** ICU refuses labels past punycode's limits with its own exception; callers still get IllegalArgumentException. */
  @Test
  void parse_longNonAsciiLabel_illegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> DnsName.parse("ü".repeat(1001)));
  }

  @Test
  void parse_hugeInput_rejectedBeforeIdna() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DnsName.parse("a.".repeat(100_000)));
    assertTrue(e.getMessage().contains("characters long"), e.getMessage());
  }

  @Test
  void parse_totalLength_limit() {
    String name63x3 = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
    assertEquals(253, DnsName.parse(name63x3).ascii().length());
    assertThrows(IllegalArgumentException.class, () -> DnsName.parse(name63x3 + "d"));
  }

  @Test
  void unicode_roundTripsForDisplay() {
    DnsName n = DnsName.parse("bücher.example");
    assertEquals("bücher.example", n.unicode());
    assertEquals("xn--bcher-kva.example (bücher.example)", n.toString());
    assertEquals(2, n.labelCount());
  }

  @Test
  void equalsAndHashCode() {
    new EqualsTester()
        .addEqualityGroup(DnsName.parse("mail.example.net"), DnsName.parse("MAIL.example.net."))
        .addEqualityGroup(DnsName.parse("bücher.example"), DnsName.parse("xn--bcher-kva.example"))
        .addEqualityGroup(DnsName.parse("example.net"))
        .testEquals();
  }

  @Test
  void nullPointers() {
    new NullPointerTester().testAllPublicStaticMethods(DnsName.class);
    new NullPointerTester().testAllPublicStaticMethods(IpAddress.class);
    new NullPointerTester().testAllPublicStaticMethods(ReferenceIdentities.class);
    new NullPointerTester().testAllPublicStaticMethods(IdentityMatcher.class);
    java.security.cert.X509Certificate cert = HeldCertificate.builder().build().certificate();
    new NullPointerTester()
        .setDefault(java.security.cert.X509Certificate.class, cert)
        .setDefault(PresentedIdentifiers.class, PresentedIdentifiers.from(cert))
        .setDefault(ReferenceIdentities.class, ReferenceIdentities.forHost("mail.example.net"))
        .testAllPublicInstanceMethods(IdentityMatcher.strict());
  }
}
