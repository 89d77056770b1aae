package org.mailtls.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.testing.CertAsserts.extnValue;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Key types, signature algorithms and issuer chains of {@link HeldCertificate}. */
class HeldCertificateKeysTest {
  @ParameterizedTest
  @EnumSource(KeyType.class)
  void build_keyType_keyAndDefaultSignatureMatch(KeyType type) throws Exception {
    HeldCertificate held = HeldCertificate.builder().keyType(type).build();
    X509Certificate cert = held.certificate();

    assertEquals(type, KeyType.of(cert.getPublicKey()));
    assertEquals(SignatureAlgorithm.defaultFor(type).oid(), cert.getSigAlgOID());
    switch (type) {
      case EC_P256 -> assertEquals(256, ecBits(cert));
      case EC_P384 -> assertEquals(384, ecBits(cert));
      case RSA_2048 -> assertEquals(2048, rsaBits(cert));
      case RSA_1024 -> assertEquals(1024, rsaBits(cert));
      case ED25519 -> assertEquals("1.3.101.112", cert.getSigAlgOID());
    }
    assertEquals(type.isRsa(), cert.getKeyUsage()[2], "keyEncipherment iff RSA");
    cert.verify(cert.getPublicKey());
  }

  @ParameterizedTest
  @CsvSource({
      "EC_P256, SHA1_WITH_ECDSA, 1.2.840.10045.4.1",
      "EC_P256, SHA384_WITH_ECDSA, 1.2.840.10045.4.3.3",
      "EC_P384, SHA256_WITH_ECDSA, 1.2.840.10045.4.3.2",
      "RSA_2048, SHA1_WITH_RSA, 1.2.840.113549.1.1.5",
      "RSA_1024, SHA256_WITH_RSA, 1.2.840.113549.1.1.11",
      "ED25519, ED25519, 1.3.101.112"})
  void build_signatureAlgorithm_oidWrittenAndSignatureVerifies(
      KeyType issuerType, SignatureAlgorithm alg, String oid) throws Exception {
    HeldCertificate issuer = HeldCertificate.builder()
        .keyType(issuerType).certificateAuthority(-1).build();
    HeldCertificate leaf = HeldCertificate.builder()
        .signedBy(issuer).signatureAlgorithm(alg).build();

    assertEquals(oid, leaf.certificate().getSigAlgOID());
    assertEquals(oid, alg.oid());
    leaf.certificate().verify(issuer.certificate().getPublicKey());
  }

  @Test
  void build_signatureAlgorithmIncompatibleWithIssuerKey_throwsIllegalState() {
    HeldCertificate ecIssuer = HeldCertificate.builder().certificateAuthority(0).build();
    HeldCertificate.Builder leaf = HeldCertificate.builder()
        .keyType(KeyType.RSA_2048) // the subject key type is irrelevant; the issuer's counts
        .signedBy(ecIssuer)
        .signatureAlgorithm(SignatureAlgorithm.SHA256_WITH_RSA);

    IllegalStateException e = assertThrows(IllegalStateException.class, leaf::build);
    assertTrue(e.getMessage().contains("SHA256_WITH_RSA"), e.getMessage());
  }

  @Test
  void build_reusedKeyPair_samePublicKeyAndInferredRsaDefaults() {
    HeldCertificate first = HeldCertificate.builder().keyType(KeyType.RSA_2048).build();
    HeldCertificate second = HeldCertificate.builder().keyPair(first.keyPair()).build();

    assertEquals(first.certificate().getPublicKey(), second.certificate().getPublicKey());
    assertEquals(SignatureAlgorithm.SHA256_WITH_RSA.oid(), second.certificate().getSigAlgOID());
    assertTrue(second.certificate().getKeyUsage()[2], "keyEncipherment for RSA");
    assertThrows(IllegalStateException.class, () -> HeldCertificate.builder()
        .keyPair(first.keyPair()).keyType(KeyType.EC_P256).build());
  }

  @Test
  void build_chain_rootIntermediateLeafVerifiesAndLinksKeyIdentifiers() throws Exception {
    HeldCertificate root = HeldCertificate.builder()
        .subjectCommonName("Root").certificateAuthority(-1).build();
    HeldCertificate intermediate = HeldCertificate.builder()
        .subjectCommonName("Intermediate").certificateAuthority(0).signedBy(root).build();
    HeldCertificate leaf = HeldCertificate.builder()
        .subjectCommonName("leaf").addDnsName("mail.example.net").signedBy(intermediate).build();

    assertEquals(List.of(leaf.certificate(), intermediate.certificate(), root.certificate()),
        leaf.chain());
    leaf.certificate().verify(intermediate.certificate().getPublicKey());
    intermediate.certificate().verify(root.certificate().getPublicKey());
    root.certificate().verify(root.certificate().getPublicKey());
    assertEquals(intermediate.certificate().getSubjectX500Principal(),
        leaf.certificate().getIssuerX500Principal());
    byte[] ski = SubjectKeyIdentifier.getInstance(
        extnValue(intermediate.certificate(), "2.5.29.14")).getKeyIdentifier();
    byte[] aki = AuthorityKeyIdentifier.getInstance(
        extnValue(leaf.certificate(), "2.5.29.35")).getKeyIdentifierOctets();
    assertArrayEquals(ski, aki);
    assertNull(root.certificate().getExtensionValue("2.5.29.35"), "self-signed: no AKI");
  }

  private static int ecBits(X509Certificate cert) {
    return ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize();
  }

  private static int rsaBits(X509Certificate cert) {
    return ((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength();
  }
}
