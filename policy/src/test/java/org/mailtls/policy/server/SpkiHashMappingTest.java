package org.mailtls.policy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;

/** R8314-S-16: mapping a client certificate by the SHA-256 of its SubjectPublicKeyInfo. */
class SpkiHashMappingTest {
  private static final HeldCertificate ALICE = HeldCertificate.builder().subjectCommonName("alice").build();
  private static final HeldCertificate BOB = HeldCertificate.builder().keyType(KeyType.ED25519)
      .addRfc822Name("bob@example.net").build();

  @Test
  void pinOf_isOkHttpForm_sha256OfSpkiDer() throws Exception {
    String expected = "sha256/" + Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(ALICE.certificate().getPublicKey().getEncoded()));

    assertEquals(expected, SpkiHashMapping.pinOf(ALICE.certificate()));
    assertEquals(51, expected.length());
  }

  @Test
  void map_enrolledKey_mappedToItsIdentity() {
    SpkiHashMapping m = SpkiHashMapping.builder()
        .add(SpkiHashMapping.pinOf(ALICE.certificate()), "alice")
        .add(SpkiHashMapping.pinOf(BOB.certificate()), "bob@example.net")
        .build();

    MappingResult a = m.map(ALICE.certificate());
    MappingResult b = m.map(BOB.certificate());

    assertEquals(Optional.of("alice"), a.mappedIdentity());
    assertEquals(Optional.of("bob@example.net"), b.mappedIdentity());
    assertTrue(((MappingResult.Mapped) a).how().startsWith("SubjectPublicKeyInfo sha256/"), a::toString);
  }

  /** A re-issued certificate over the same key keeps the identity: the names never count. */
  @Test
  void map_reissuedCertificateSameKey_stillMapped() {
    HeldCertificate reissued = HeldCertificate.builder().keyPair(ALICE.keyPair()).subjectCommonName("mallory").build();
    SpkiHashMapping m = SpkiHashMapping.builder().add(SpkiHashMapping.pinOf(ALICE.certificate()), "alice").build();

    assertEquals(Optional.of("alice"), m.map(reissued.certificate()).mappedIdentity());
  }

  @Test
  void map_keyNotInTable_unmappedNamingThePinAndTheFix() {
    SpkiHashMapping m = SpkiHashMapping.builder().add(SpkiHashMapping.pinOf(ALICE.certificate()), "alice").build();

    MappingResult r = m.map(BOB.certificate());

    MappingResult.Unmapped u = assertInstanceOf(MappingResult.Unmapped.class, r);
    assertFalse(r.isMapped());
    assertTrue(u.reason().contains(SpkiHashMapping.pinOf(BOB.certificate())), u::reason);
    assertTrue(u.reason().contains("1 keys"), u::reason);
    assertTrue(u.reason().contains("builder().add("), u::reason);
  }

  @Test
  void builder_badPins_refusedWithTheFix() {
    String good = SpkiHashMapping.pinOf(ALICE.certificate());
    String b64 = good.substring("sha256/".length());
    for (String bad : new String[] {
        b64, "sha1/" + b64, "sha256/not base64!", "sha256/" + b64.substring(4), "SHA256/" + b64,
        "sha256/" + b64.replace("=", "")}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SpkiHashMapping.builder().add(bad, "alice"), bad);
      assertTrue(e.getMessage().contains("pinOf(certificate)"), e::getMessage);
    }
  }

  @Test
  void builder_badIdentitiesDuplicatesAndEmpty_refused() {
    String pin = SpkiHashMapping.pinOf(ALICE.certificate());
    for (String bad : new String[] {"", " alice", "alice\n", "al\u0000ice", "a\ud800"}) {
      assertThrows(IllegalArgumentException.class, () -> SpkiHashMapping.builder().add(pin, bad), bad);
    }
    IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
        () -> SpkiHashMapping.builder().add(pin, "alice").add(pin, "bob"));
    assertTrue(dup.getMessage().contains("already mapped to \"alice\""), dup::getMessage);
    IllegalStateException empty = assertThrows(IllegalStateException.class, () -> SpkiHashMapping.builder().build());
    assertTrue(empty.getMessage().contains("R8314-S-16"), empty::getMessage);
  }

  @Test
  void valueSemantics() {
    String pin = SpkiHashMapping.pinOf(ALICE.certificate());
    assertEquals(SpkiHashMapping.builder().add(pin, "alice").build(), SpkiHashMapping.builder().add(pin, "alice").build());
    assertEquals("SubjectPublicKeyInfo SHA-256 table of 1 key", SpkiHashMapping.builder().add(pin, "a").build().describe());
  }
}
