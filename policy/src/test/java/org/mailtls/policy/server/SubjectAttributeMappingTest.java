package org.mailtls.policy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailtls.testing.HeldCertificate;

/** R8314-S-16: mapping a client certificate by one subject attribute (UID, CN). */
class SubjectAttributeMappingTest {
  private static final KeyPair KEYS = HeldCertificate.builder().build().keyPair();
  private static final SubjectAttributeMapping BY_UID = SubjectAttributeMapping.of(SubjectAttributeMapping.UID);
  private static final SubjectAttributeMapping BY_CN = SubjectAttributeMapping.of(SubjectAttributeMapping.CN);

  private static HeldCertificate.Builder cert() {
    return HeldCertificate.builder().keyPair(KEYS);
  }

  private static String unmapped(SubjectAttributeMapping m, HeldCertificate c) {
    MappingResult r = m.map(c.certificate());
    assertTrue(r instanceof MappingResult.Unmapped, () -> "expected unmapped: " + r);
    return ((MappingResult.Unmapped) r).reason();
  }

  @Test
  void map_singleUid_mapped() {
    HeldCertificate c = cert().subjectRdn("O", "Example").subjectRdn("UID", "alice").subjectCommonName("Alice Smith")
        .addRfc822Name("other@example.net").build();

    MappingResult r = BY_UID.map(c.certificate());

    assertEquals(Optional.of("alice"), r.mappedIdentity());
    assertEquals("subject UID (0.9.2342.19200300.100.1.1)", ((MappingResult.Mapped) r).how());
  }

  @Test
  void map_singleCn_mappedAsDecoded_unicodeKept() {
    HeldCertificate c = cert().subjectCommonName("J\u00fcrgen").build();
    assertEquals(Optional.of("J\u00fcrgen"), BY_CN.map(c.certificate()).mappedIdentity());
  }

  @Test
  void map_byDottedOid_anyAttribute() {
    HeldCertificate c = cert().subjectRdn("1.3.6.1.4.1.32473.1", "user-42").subjectCommonName("x").build();
    MappingResult r = SubjectAttributeMapping.of("1.3.6.1.4.1.32473.1").map(c.certificate());
    assertEquals(Optional.of("user-42"), r.mappedIdentity());
    assertEquals("subject 1.3.6.1.4.1.32473.1", ((MappingResult.Mapped) r).how());
  }

  @Test
  void map_attributeMissing_unmappedListingWhatTheSubjectHas() {
    String reason = unmapped(BY_UID, cert().subjectRdn("O", "Example").subjectCommonName("alice").build());
    assertTrue(reason.contains("subject attributes O, CN"), reason);
    assertTrue(reason.contains("exactly one UID (0.9.2342.19200300.100.1.1) attribute, not 0"), reason);
    String empty = unmapped(BY_UID, cert().addRfc822Name("alice@example.net").build());
    assertTrue(empty.contains("an empty subject"), empty);
  }

  @Test
  void map_attributeRepeated_unmapped() {
    String reason = unmapped(BY_UID, cert().subjectRdn("UID", "alice").subjectRdn("UID", "root").build());
    assertTrue(reason.contains("subject attributes UID, UID"), reason);
    assertTrue(reason.contains("not 2"), reason);
  }

  /** Values that would split a log line, smuggle NUL into SASL or shadow another user are refused. */
  @Test
  void map_hostileValues_unmapped() {
    for (String bad : new String[] {"alice\nadmin", "ali\u0000ce", " alice", "alice ", "x".repeat(300)}) {
      String reason = unmapped(BY_CN, cert().subjectCommonName(bad).build());
      assertTrue(reason.startsWith("the CN (2.5.4.3) attribute is not a usable identity"), reason);
    }
  }

  @Test
  void of_badOid_refusedWithTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SubjectAttributeMapping.of("UID"));
    assertTrue(e.getMessage().contains(SubjectAttributeMapping.UID), e::getMessage);
    assertEquals("subject attribute UID (0.9.2342.19200300.100.1.1)", BY_UID.describe());
    assertEquals(BY_UID, SubjectAttributeMapping.of("0.9.2342.19200300.100.1.1"));
  }
}
