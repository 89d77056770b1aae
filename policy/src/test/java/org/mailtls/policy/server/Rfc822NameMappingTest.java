package org.mailtls.policy.server;

import org.mailtls.testing.Der;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailtls.testing.HeldCertificate;

/** R8314-S-16: mapping a client certificate by its single rfc822Name subjectAltName. */
class Rfc822NameMappingTest {
  private static final KeyPair KEYS = HeldCertificate.builder().build().keyPair();
  private static final Rfc822NameMapping EXAMPLE_NET = Rfc822NameMapping.builder().allowDomain("Example.NET").build();
  private static final Rfc822NameMapping ANY = Rfc822NameMapping.builder().anyDomain().build();

  private static HeldCertificate.Builder cert() {
    return HeldCertificate.builder().keyPair(KEYS);
  }

  private static String unmapped(Rfc822NameMapping m, HeldCertificate c) {
    MappingResult r = m.map(c.certificate());
    assertTrue(r instanceof MappingResult.Unmapped, () -> "expected unmapped: " + r);
    return ((MappingResult.Unmapped) r).reason();
  }

  @Test
  void map_oneAddressInAllowedDomain_mapped_domainNormalized() {
    HeldCertificate c = cert().addDnsName("client.example.net").addRfc822Name("Alice.Smith@EXAMPLE.net")
        .subjectCommonName("Alice").build();

    MappingResult r = EXAMPLE_NET.map(c.certificate());

    assertEquals(Optional.of("Alice.Smith@example.net"), r.mappedIdentity());
    assertEquals("rfc822Name Alice.Smith@EXAMPLE.net", ((MappingResult.Mapped) r).how());
  }

  @Test
  void map_anyDomain_mapsOtherDomains() {
    HeldCertificate c = cert().addRfc822Name("bob@example.org").build();

    assertEquals(Optional.of("bob@example.org"), ANY.map(c.certificate()).mappedIdentity());
    assertTrue(unmapped(EXAMPLE_NET, c).contains("domain example.org, which is not one of the allowed domains"));
  }

  @Test
  void map_subdomainOfAllowedDomain_unmapped() {
    String reason = unmapped(EXAMPLE_NET, cert().addRfc822Name("carol@sub.example.net").build());
    assertTrue(reason.contains("allowDomain(\"sub.example.net\")"), reason);
  }

  @Test
  void map_noRfc822Name_unmappedListingWhatTheCertificateHas() {
    String reason = unmapped(ANY, cert().addDnsName("client.example.net").addDnsName("b.example.net").build());
    assertTrue(reason.contains("dNSName x2"), reason);
    assertTrue(reason.contains("exactly one rfc822Name, not 0"), reason);
    String none = unmapped(ANY, cert().subjectCommonName("alice@example.net").build());
    assertTrue(none.contains("no subjectAltName entry"), none);
  }

  @Test
  void map_twoRfc822Names_unmappedNamingBoth() {
    String reason = unmapped(ANY, cert().addRfc822Name("a@example.net").addRfc822Name("b@example.net").build());
    assertTrue(reason.contains("\"a@example.net\"") && reason.contains("\"b@example.net\""), reason);
    assertTrue(reason.contains("not 2"), reason);
  }

  @Test
  void map_malformedAddresses_unmapped() {
    for (String bad : new String[] {"alice", "@example.net", "alice@", "a\"b\"@example.net", "a b@example.net",
        "a@b@example.net", "alice@[192.0.2.1]", "alice@example..net", "alice@192.0.2.1", "x".repeat(65) + "@example.net",
        "alice@*.example.net"}) {
      String reason = unmapped(ANY, cert().addRfc822Name(bad).build());
      assertTrue(reason.startsWith("rfc822Name \""), bad + " -> " + reason);
    }
  }

  /** Hostile encodings: control and non-ASCII octets, constructed [1], garbage SAN, non-GeneralName entries. */
  @Test
  void map_hostileCertificates_unmappedNeverThrows() {
    byte[] nul = Der.tlv(0x81, "al\u0000ice@example.net".getBytes(US_ASCII));
    byte[] latin1 = Der.tlv(0x81, "al\u00efce@example.net".getBytes(ISO_8859_1));
    byte[] constructed = Der.tlv(0xA1, Der.tlv(0x16, "alice@example.net".getBytes(US_ASCII)));
    byte[] notTagged = Der.tlv(0x16, "alice@example.net".getBytes(US_ASCII));
    HeldCertificate[] hostile = {
        cert().addSanRaw(nul).build(),
        cert().addSanRaw(latin1).build(),
        cert().addSanRaw(constructed).build(),
        cert().addSanRaw(notTagged).build(),
        cert().addRfc822Name("alice@example.net").addSanRaw(constructed).build(),
        cert().subjectAltNameExtensionRaw(new byte[] {0x30, 0x05, 0x01}).build(),
        cert().subjectAltNameExtensionRaw(Der.tlv(0x04, new byte[] {1, 2, 3})).build(),
        cert().subjectAltNameExtensionRaw(new byte[] {0x30, 0x00}).build(),
    };
    String[] expected = {"control character", "non-ASCII", "constructed rfc822Name", "not a GeneralName",
        "constructed rfc822Name", "malformed subjectAltName", "malformed subjectAltName", "exactly one rfc822Name"};
    for (int i = 0; i < hostile.length; i++) {
      String reason = unmapped(ANY, hostile[i]);
      assertTrue(reason.contains(expected[i]), i + ": " + reason);
    }
  }

  @Test
  void map_tooManySanEntries_unmapped() {
    HeldCertificate.Builder b = cert().addRfc822Name("alice@example.net");
    for (int i = 0; i < CertificateFields.MAX_SAN_ENTRIES; i++) {
      b.addDnsName("h" + i + ".example.net");
    }
    String reason = unmapped(ANY, b.build());
    assertTrue(reason.contains("257 subjectAltName entries"), reason);
  }

  @Test
  void builder_domainChoiceIsExplicit() {
    IllegalStateException none = assertThrows(IllegalStateException.class, () -> Rfc822NameMapping.builder().build());
    assertTrue(none.getMessage().contains("anyDomain()"), none::getMessage);
    assertThrows(IllegalStateException.class,
        () -> Rfc822NameMapping.builder().anyDomain().allowDomain("example.net").build());
    assertThrows(IllegalArgumentException.class, () -> Rfc822NameMapping.builder().allowDomain("exa mple.net"));
    assertEquals("rfc822Name SAN in example.net", EXAMPLE_NET.describe());
    assertEquals("rfc822Name SAN in any domain", ANY.describe());
    assertEquals(EXAMPLE_NET, Rfc822NameMapping.builder().allowDomain("example.net").build());
  }
}
