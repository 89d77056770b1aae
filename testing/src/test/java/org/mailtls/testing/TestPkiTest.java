package org.mailtls.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestPkiTest {
  private static final Instant NOW = Instant.parse("2032-02-29T12:00:00Z");
  private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final char[] PASSWORD = "changeit".toCharArray();

  @Test
  void create_default_ecP256RootAndIntermediateWithExpectedNames() {
    TestPki pki = TestPki.create();

    X509Certificate root = pki.root().certificate();
    X509Certificate intermediate = pki.intermediate().certificate();
    assertEquals("CN=MailTLS Test Root", root.getSubjectX500Principal().getName());
    assertEquals("CN=MailTLS Test Intermediate",
        intermediate.getSubjectX500Principal().getName());
    assertEquals(Integer.MAX_VALUE, root.getBasicConstraints());
    assertEquals(0, intermediate.getBasicConstraints());
    assertEquals(KeyType.EC_P256, pki.root().keyType());
    assertEquals(List.of(intermediate, root), pki.intermediate().chain());
  }

  @Test
  void pkixValidation_rootIntermediateLeaf_succeeds() throws Exception {
    TestPki pki = TestPki.create(KeyType.EC_P256, FIXED);
    HeldCertificate leaf = pki.leaf().addDnsName("mail.example.net").build();

    PKIXCertPathValidatorResult result = validate(leaf, pki.root());

    assertEquals(pki.root().certificate(), result.getTrustAnchor().getTrustedCert());
    assertEquals(leaf.certificate().getPublicKey(), result.getPublicKey());
  }

  @Test
  void pkixValidation_rsaPki_succeeds() throws Exception {
    TestPki pki = TestPki.create(KeyType.RSA_2048, FIXED);
    HeldCertificate leaf = pki.leaf().addDnsName("mail.example.net").build();

    assertEquals(KeyType.RSA_2048, leaf.keyType(), "leaf defaults to the PKI's key type");
    validate(leaf, pki.root());
  }

  @Test
  void pkixValidation_leafFromDifferentRoot_fails() {
    TestPki pki = TestPki.create(KeyType.EC_P256, FIXED);
    TestPki other = TestPki.create(KeyType.EC_P256, FIXED);
    HeldCertificate foreignLeaf = other.leaf().addDnsName("mail.example.net").build();

    assertThrows(CertPathValidatorException.class, () -> validate(foreignLeaf, pki.root()));
  }

  @Test
  void pkixValidation_afterLeafExpiry_fails() {
    TestPki pki = TestPki.create(KeyType.EC_P256, FIXED);
    HeldCertificate leaf = pki.leaf().validFor(Duration.ofHours(1)).build();

    assertThrows(CertPathValidatorException.class,
        () -> validate(leaf, pki.root(), NOW.plus(Duration.ofHours(2))));
  }

  @Test
  void leaf_usesPkiClockAndIntermediate_andOwnKeyTypeCanOverride() {
    TestPki pki = TestPki.create(KeyType.EC_P384, FIXED);
    HeldCertificate leaf = pki.leaf().keyType(KeyType.ED25519).build();

    assertEquals(NOW.minusSeconds(60), leaf.certificate().getNotBefore().toInstant());
    assertEquals(KeyType.ED25519, leaf.keyType());
    assertEquals(SignatureAlgorithm.SHA384_WITH_ECDSA.oid(), leaf.certificate().getSigAlgOID());
    assertEquals(pki.intermediate().certificate().getSubjectX500Principal(),
        leaf.certificate().getIssuerX500Principal());
  }

  @Test
  void trustStore_inMemoryPkcs12WithOnlyTheRoot() throws Exception {
    TestPki pki = TestPki.create();

    KeyStore trust = pki.trustStore();

    assertEquals("PKCS12", trust.getType());
    assertEquals(List.of(TestPki.ROOT_ALIAS), Collections.list(trust.aliases()));
    assertTrue(trust.isCertificateEntry(TestPki.ROOT_ALIAS));
    assertEquals(pki.root().certificate(), trust.getCertificate(TestPki.ROOT_ALIAS));
  }

  @Test
  void keyStore_leafEntryWithChainWithoutRoot() throws Exception {
    TestPki pki = TestPki.create();
    HeldCertificate leaf = pki.leaf().addDnsName("mail.example.net").build();

    KeyStore store = TestPki.keyStore(leaf, PASSWORD);

    assertEquals("PKCS12", store.getType());
    assertEquals(List.of("leaf"), Collections.list(store.aliases()));
    assertTrue(store.isKeyEntry("leaf"));
    assertArrayEquals(new X509Certificate[] {leaf.certificate(), pki.intermediate().certificate()},
        store.getCertificateChain("leaf"));
    assertArrayEquals(leaf.privateKey().getEncoded(),
        store.getKey("leaf", PASSWORD).getEncoded());
  }

  @Test
  void keyStore_selfSignedLeaf_keepsItsOwnCertificate() throws Exception {
    HeldCertificate selfSigned = HeldCertificate.builder().build();

    KeyStore store = TestPki.keyStore(selfSigned, PASSWORD);

    assertArrayEquals(new X509Certificate[] {selfSigned.certificate()},
        store.getCertificateChain("leaf"));
  }

  @Test
  void create_andKeyStore_rejectNulls() {
    assertThrows(IllegalArgumentException.class, () -> TestPki.create(null, FIXED));
    assertThrows(IllegalArgumentException.class, () -> TestPki.create(KeyType.EC_P256, null));
    assertThrows(IllegalArgumentException.class, () -> TestPki.keyStore(null, PASSWORD));
    assertThrows(IllegalArgumentException.class,
        () -> TestPki.keyStore(HeldCertificate.builder().build(), null));
  }

  private static PKIXCertPathValidatorResult validate(HeldCertificate leaf, HeldCertificate root)
      throws Exception {
    return validate(leaf, root, NOW);
  }

  private static PKIXCertPathValidatorResult validate(
      HeldCertificate leaf, HeldCertificate root, Instant at) throws Exception {
    List<X509Certificate> chain = leaf.chain();
    CertPath path = CertificateFactory.getInstance("X.509")
        .generateCertPath(chain.subList(0, chain.size() - 1));
    PKIXParameters params = new PKIXParameters(
        Collections.singleton(new TrustAnchor(root.certificate(), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(at));
    return (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
        .validate(path, params);
  }
}
