package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.PublicKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;

/** The key-type names engines ask key managers for, against the keys MailTLS key managers hold. */
class KeyTypesTest {
  @ParameterizedTest(name = "{0} key for \"{1}\": {2}")
  @CsvSource({
      "EC_P256, EC, true",
      "EC_P256, EC/secp256r1, true",
      "EC_P384, EC/secp256r1, false",
      "EC_P384, EC/secp384r1, true",
      "EC_P256, EC/secp521r1, false",
      "EC_P256, EC/brainpoolP256r1, false",
      "EC_P256, ECDHE_ECDSA, true",
      "EC_P256, ECDHE_RSA, false",
      "RSA_2048, RSA, true",
      "RSA_2048, RSASSA-PSS, true",
      "RSA_2048, ECDHE_RSA, true",
      "RSA_2048, EC, false",
      "RSA_2048, EC/secp256r1, false",
      "ED25519, Ed25519, true",
      "ED25519, EdDSA, true",
      "ED25519, Ed448, false",
      "ED25519, EC, false",
      "EC_P256, DSA, false",
      "EC_P256, '', false",
  })
  void fits(KeyType type, String keyType, boolean expected) {
    HeldCertificate c = HeldCertificate.builder().subjectCommonName("k").keyType(type).build();

    assertEquals(expected, KeyTypes.fits(keyType, c.privateKey(), c.certificate().getPublicKey()));
  }

  /** Without the certificate's public key the curve is unknown: a curve-qualified type never fits. */
  @ParameterizedTest
  @CsvSource({"EC/secp256r1, false", "EC, true"})
  void unknownPublicKey_curveQualifiedTypeRefused(String keyType, boolean expected) {
    HeldCertificate c = HeldCertificate.builder().subjectCommonName("k").keyType(KeyType.EC_P256).build();

    assertEquals(expected, KeyTypes.fits(keyType, c.privateKey(), (PublicKey) null));
  }
}
