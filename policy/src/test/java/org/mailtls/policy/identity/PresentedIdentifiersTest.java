package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailtls.testing.HeldCertificate;

/**
 * Presented-identifier parsing from raw subjectAltName bytes, including hostile certificates
 * (B.4, B.5 hygiene, SI-20, SRV-01, SRV-02): they give a clean non-match, never an exception.
 */
class PresentedIdentifiersTest {
  private static final KeyPair KEYS = HeldCertificate.builder().build().keyPair();
  private static final ReferenceIdentities MAIL = ReferenceIdentities.forHost("mail.example.net");
  private static final IdentityMatcher LEGACY = IdentityMatcher.of(IdentityPolicy.builder().legacyCommonName(true).build());

  private static HeldCertificate.Builder cert() {
    return HeldCertificate.builder().keyPair(KEYS);
  }

  @Test
  void from_mixedSans_keptInOrderAndNormalized() {
    HeldCertificate c = cert()
        .addDnsName("Mail.Example.NET")
        .addSrvName("_IMAPS.example.net")
        .addIpAddress("192.0.2.7")
        .addUri("imap://mail.example.net")
        .addRfc822Name("postmaster@example.net")
        .subjectCommonName("mail.example.net")
        .build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());

    assertEquals(
        List.of("dNSName mail.example.net", "SRVName _imaps.example.net", "iPAddress 192.0.2.7"),
        p.subjectAltNames().stream().map(Object::toString).toList());
    assertEquals(List.of("URI", "rfc822Name"), p.ignored().stream().map(IgnoredIdentifier::kind).toList());
    assertEquals("subject CN mail.example.net", p.commonNames().get(0).toString());
    assertTrue(p.hasSubjectAltName());
    assertTrue(p.hasSubjectAltNameIdentifier());
    assertFalse(p.truncated());
  }

  /** B.4: the JDK re-wraps the SRVName value in an extra [0]; both encodings are understood. */
  @Test
  void from_srvNameWithExtraExplicitLayer_parsed() {
    byte[] ia5 = der(0x16, "_imaps.example.net".getBytes(StandardCharsets.US_ASCII));
    HeldCertificate c = cert().addOtherName("1.3.6.1.5.5.7.8.7", der(0xA0, ia5)).build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());

    assertEquals(List.of(new PresentedIdentifier.Srv("imaps", "example.net")), p.subjectAltNames());
  }

  /** B.4: an otherName value wrapped in three [0] layers is refused (at most two are unwrapped). */
  @Test
  void from_srvNameWithThreeExplicitLayers_ignored() {
    byte[] ia5 = der(0x16, "_imaps.example.net".getBytes(StandardCharsets.US_ASCII));
    HeldCertificate c = cert().addOtherName("1.3.6.1.5.5.7.8.7", der(0xA0, der(0xA0, ia5))).build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());

    assertTrue(p.subjectAltNames().isEmpty());
    assertEquals("SRVName", p.ignored().get(0).kind());
  }

  /** An otherName without its value, and one whose value is an INTEGER: each ignored, the rest still counts. */
  @Test
  void from_malformedOtherNames_ignoredOthersKept() {
    byte[] srvOid = {0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x07};
    HeldCertificate c = cert()
        .addSanRaw(der(0xA0, srvOid))
        .addOtherName("1.3.6.1.5.5.7.8.7", new byte[] {0x02, 0x01, 0x05})
        .addDnsName("mail.example.net")
        .build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());

    assertEquals(List.of(new PresentedIdentifier.Dns("mail.example.net", false)), p.subjectAltNames());
    assertEquals(2, p.ignored().size(), p.ignored().toString());
    assertTrue(IdentityMatcher.strict().match(MAIL, p).isMatch());
  }

  /** A length that overruns its container breaks the whole extension: reported, not thrown. */
  @Test
  void from_otherNameLengthOverrun_wholeExtensionUnreadable() {
    HeldCertificate c = cert()
        .addOtherName("1.3.6.1.5.5.7.8.7", new byte[] {0x16, 0x7f, 0x01})
        .addDnsName("mail.example.net")
        .build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());

    assertTrue(p.subjectAltNameError().isPresent());
    assertFalse(IdentityMatcher.strict().match(MAIL, p).isMatch());
  }

  @Test
  void from_otherNameOfAnotherType_ignored() {
    HeldCertificate c = cert().addOtherName("1.3.6.1.4.1.311.20.2.3", der(0x0C, "upn@example.net".getBytes(StandardCharsets.UTF_8))).build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());

    assertEquals("otherName 1.3.6.1.4.1.311.20.2.3", p.ignored().get(0).kind());
  }

  /** An embedded NUL must not truncate the name to a matching prefix (the classic CVE-2009-2408 trick). */
  @Test
  void match_embeddedNul_ignoredAndEscapedInMessage() {
    byte[] name = "mail.example.net\u0000.evil.example".getBytes(StandardCharsets.ISO_8859_1);
    HeldCertificate c = cert().addSanRaw(der(0x82, name)).build();

    IdentityMatch m = IdentityMatcher.strict().match(MAIL, c.certificate());

    assertFalse(m.isMatch());
    assertTrue(m.message().contains("mail.example.net\\x00.evil.example"), m::message);
    assertFalse(m.message().contains("\u0000"));
  }

  @Test
  void match_nonUtf8AndNonAsciiBytes_ignored() {
    HeldCertificate c = cert()
        .addSanRaw(der(0x82, new byte[] {(byte) 0xC3, (byte) 0x28, '.', 'n', 'e', 't'}))
        .addSanRaw(der(0x82, "bücher.example".getBytes(StandardCharsets.UTF_8)))
        .build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());

    assertTrue(p.subjectAltNames().isEmpty());
    assertEquals(2, p.ignored().size());
    assertFalse(IdentityMatcher.strict().match(ReferenceIdentities.forHost("bücher.example"), p).isMatch());
  }

  @Test
  void match_300CharLabel_ignored() {
    HeldCertificate c = cert().addDnsName("a".repeat(300) + ".example.net").addDnsName("mail.example.net").build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());

    assertEquals(1, p.subjectAltNames().size());
    assertTrue(p.ignored().get(0).reason().contains("longer than 253"), p.ignored().toString());
  }

  @Test
  void match_64CharLabel_ignored() {
    HeldCertificate c = cert().addDnsName("a".repeat(64) + ".example.net").build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());

    assertTrue(p.ignored().get(0).reason().contains("label longer than 63"), p.ignored().toString());
  }

  /** Thousands of SANs: examined up to the cap, said so in the message, still no exception. */
  @Test
  void match_thousandsOfSans_cappedAndReported() {
    HeldCertificate.Builder b = cert();
    for (int i = 0; i < 5_000; i++) {
      b.addDnsName("host" + i + ".example.org");
    }
    HeldCertificate c = b.addDnsName("mail.example.net").build();

    IdentityMatch capped = IdentityMatcher.strict().match(MAIL, c.certificate());
    IdentityMatch wide = IdentityMatcher.of(IdentityPolicy.builder().maxSubjectAltNames(10_000).build())
        .match(MAIL, c.certificate());

    assertFalse(capped.isMatch());
    assertTrue(capped.message().contains("only the first 1000 of 5001 entries were examined"), () -> capped.message().substring(0, 300));
    assertTrue(wide.isMatch());
  }

  /** B.4/SI-20: an unparsable SAN is not "no SAN": legacy CN fallback stays off (fail closed). */
  @Test
  void match_garbageSanExtension_noCnFallbackEvenInLegacyMode() {
    HeldCertificate c = cert().subjectCommonName("mail.example.net")
        .subjectAltNameExtensionRaw(new byte[] {0x30, 0x05, (byte) 0x82, 0x7f, 'a'}).build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());
    IdentityMatch m = LEGACY.match(MAIL, p);

    assertTrue(p.subjectAltNameError().isPresent());
    assertTrue(p.hasSubjectAltNameIdentifier());
    assertFalse(m.isMatch());
    assertTrue(m.message().contains("unreadable"), m::message);
  }

  @Test
  void match_emptySanSequence_treatedAsMalformed() {
    HeldCertificate c = cert().subjectCommonName("mail.example.net").subjectAltNameExtensionRaw(new byte[] {0x30, 0x00}).build();

    PresentedIdentifiers p = PresentedIdentifiers.from(c.certificate());

    assertTrue(p.subjectAltNameError().isPresent());
    assertFalse(LEGACY.match(MAIL, p).isMatch());
  }

  @Test
  void match_sanExtensionWithTrailingGarbage_malformed() {
    HeldCertificate c = cert().subjectAltNameExtensionRaw(new byte[] {0x30, 0x03, (byte) 0x82, 0x01, 'a', 0x00}).build();

    assertTrue(PresentedIdentifiers.from(c.certificate()).subjectAltNameError().isPresent());
  }

  /** SI-21: other subject RDNs (emailAddress, DC, OU) never serve as identity. */
  @Test
  void match_otherSubjectRdns_neverUsed() {
    HeldCertificate c = cert()
        .subjectRdn("1.2.840.113549.1.9.1", "mail.example.net")
        .subjectRdn("DC", "mail")
        .subjectRdn("OU", "mail.example.net")
        .build();

    assertFalse(LEGACY.match(MAIL, c.certificate()).isMatch());
  }

  /** Several CNs: which one names the server would be a guess, so none is used. */
  @Test
  void match_severalCommonNames_noneUsedInLegacyMode() {
    HeldCertificate c = cert().subjectRdn("CN", "mail.example.net").subjectRdn("CN", "other.example.net").build();

    IdentityMatch m = LEGACY.match(MAIL, c.certificate());

    assertFalse(m.isMatch());
    assertTrue(m.message().contains("2 CNs"), m::message);
  }

  @Test
  void from_noSanNoSubject_emptyButValid() {
    PresentedIdentifiers p = PresentedIdentifiers.from(cert().build().certificate());

    assertFalse(p.hasSubjectAltName());
    assertFalse(p.hasSubjectAltNameIdentifier());
    assertTrue(p.subjectAltNames().isEmpty());
  }

  /** DER TLV with a definite length (short or long form). */
  static byte[] der(int tag, byte[] content) {
    return org.mailtls.testing.Der.tlv(tag, content);
  }
}
