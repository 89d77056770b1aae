package org.mailtls.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.testing.CertAsserts.extnValue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.junit.jupiter.api.Test;

/** Subject, validity, PEM, randomness and argument checks of {@link HeldCertificate}. */
class HeldCertificateTest {
  private static final Instant NOW = Instant.parse("2031-05-17T10:15:30.250Z");
  private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @Test
  void build_defaults_selfSignedEcP256LeafWithWebPkiShape() throws Exception {
    HeldCertificate held = HeldCertificate.builder().build();
    X509Certificate cert = held.certificate();

    assertEquals("", cert.getSubjectX500Principal().getName());
    assertEquals(256, ((ECPublicKey) cert.getPublicKey()).getParams().getOrder().bitLength());
    assertEquals(KeyType.EC_P256, held.keyType());
    assertEquals("1.2.840.10045.4.3.2", cert.getSigAlgOID());
    assertEquals(-1, cert.getBasicConstraints());
    assertTrue(cert.getCriticalExtensionOIDs().contains("2.5.29.19"), "basicConstraints critical");
    assertFalse(BasicConstraints.getInstance(extnValue(cert, "2.5.29.19")).isCA());
    assertTrue(cert.getKeyUsage()[0], "digitalSignature");
    assertFalse(cert.getKeyUsage()[2], "keyEncipherment only for RSA");
    assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), cert.getExtendedKeyUsage());
    assertEquals(List.of(cert), held.chain());
    cert.verify(cert.getPublicKey());
    assertTrue(cert.getSerialNumber().signum() > 0);
    assertTrue(cert.getSerialNumber().bitLength() <= 63);
  }

  @Test
  void build_subjectRdnsAndCn_encodedInCallOrderThenCn() throws Exception {
    HeldCertificate held = HeldCertificate.builder()
        .subjectCommonName("#not hex")
        .subjectRdn("DC", "net")
        .subjectRdn("DC", "example")
        .subjectRdn("O", "Example")
        .subjectRdn("1.2.840.113549.1.9.1", "user@example.net")
        .subjectRdn("C", "DE")
        .build();

    RDN[] rdns = X500Name.getInstance(
        held.certificate().getSubjectX500Principal().getEncoded()).getRDNs();
    assertEquals(6, rdns.length);
    assertEquals("net", ASN1IA5String.getInstance(rdns[0].getFirst().getValue()).getString());
    assertEquals("example", ASN1IA5String.getInstance(rdns[1].getFirst().getValue()).getString());
    assertEquals("Example", ASN1UTF8String.getInstance(rdns[2].getFirst().getValue()).getString());
    assertEquals("1.2.840.113549.1.9.1", rdns[3].getFirst().getType().getId());
    assertEquals("user@example.net",
        ASN1IA5String.getInstance(rdns[3].getFirst().getValue()).getString());
    assertEquals("DE", ASN1PrintableString.getInstance(rdns[4].getFirst().getValue()).getString());
    assertEquals("2.5.4.3", rdns[5].getFirst().getType().getId());
    assertEquals("#not hex", ASN1UTF8String.getInstance(rdns[5].getFirst().getValue()).getString());
  }

  @Test
  void subjectRdn_unknownTypeOrBadOid_throwsIllegalArgumentNamingValue() {
    HeldCertificate.Builder b = HeldCertificate.builder();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> b.subjectRdn("FOO", "x"))
        .getMessage().contains("FOO"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> b.subjectRdn("1.2..3", "x"))
        .getMessage().contains("1.2..3"));
    assertThrows(IllegalArgumentException.class, () -> b.subjectRdn("O", null));
  }

  @Test
  void build_validity_fromInjectedClockBackdatedOneMinuteTruncatedToSeconds() {
    X509Certificate defaultDay = HeldCertificate.builder().clock(FIXED).build().certificate();
    X509Certificate twoHours = HeldCertificate.builder()
        .clock(FIXED).validFor(Duration.ofHours(2)).build().certificate();

    Instant notBefore = Instant.parse("2031-05-17T10:14:30Z");
    assertEquals(notBefore, defaultDay.getNotBefore().toInstant());
    assertEquals(notBefore.plus(Duration.ofDays(1)), defaultDay.getNotAfter().toInstant());
    assertEquals(notBefore.plus(Duration.ofHours(2)), twoHours.getNotAfter().toInstant());
  }

  @Test
  void build_explicitValidity_usedAsGivenIncludingGeneralizedTimeYears() {
    Instant from = Instant.parse("2019-01-01T00:00:00Z");
    Instant until = Instant.parse("2060-12-31T23:59:59Z");
    X509Certificate cert = HeldCertificate.builder()
        .clock(FIXED).validity(from, until).build().certificate();

    assertEquals(from, cert.getNotBefore().toInstant());
    assertEquals(until, cert.getNotAfter().toInstant());
  }

  @Test
  void validitySettings_badOrConflicting_throw() {
    Instant t = NOW;
    IllegalArgumentException inverted = assertThrows(IllegalArgumentException.class,
        () -> HeldCertificate.builder().validity(t, t.minusSeconds(1)));
    assertTrue(inverted.getMessage().contains(t.minusSeconds(1).toString()));
    assertThrows(IllegalArgumentException.class,
        () -> HeldCertificate.builder().validFor(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> HeldCertificate.builder().validFor(Duration.ofDays(-1)));
    assertThrows(IllegalStateException.class, () -> HeldCertificate.builder()
        .validity(t, t.plusSeconds(60)).validFor(Duration.ofDays(1)).build());
  }

  @Test
  void pem_certificateAndPrivateKey_parseBack() throws Exception {
    HeldCertificate held = HeldCertificate.builder().subjectCommonName("pem").build();

    String pem = held.certificatePem();
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"), pem);
    assertTrue(pem.endsWith("-----END CERTIFICATE-----\n"), pem);
    X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    assertEquals(held.certificate(), parsed);

    String keyPem = held.privateKeyPkcs8Pem();
    String base64 = keyPem.replace("-----BEGIN PRIVATE KEY-----", "")
        .replace("-----END PRIVATE KEY-----", "").replace("\n", "");
    assertEquals(held.privateKey(), KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64))));
  }

  @Test
  void build_injectedRandom_isTheOnlySourceUsed() {
    AtomicInteger calls = new AtomicInteger();
    SecureRandom counting = new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        calls.incrementAndGet();
        super.nextBytes(bytes);
      }
    };

    HeldCertificate.builder().random(counting).build();

    assertTrue(calls.get() > 0, "random was never consulted");
  }

  @Test
  void builderSetters_null_throwIllegalArgument() {
    HeldCertificate.Builder b = HeldCertificate.builder();
    assertEquals("clock must not be null",
        assertThrows(IllegalArgumentException.class, () -> b.clock(null)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.random(null));
    assertThrows(IllegalArgumentException.class, () -> b.subjectCommonName(null));
    assertThrows(IllegalArgumentException.class, () -> b.keyType(null));
    assertThrows(IllegalArgumentException.class, () -> b.keyPair(null));
    assertThrows(IllegalArgumentException.class, () -> b.signatureAlgorithm(null));
    assertThrows(IllegalArgumentException.class, () -> b.signedBy(null));
    assertThrows(IllegalArgumentException.class, () -> b.validity(null, NOW));
  }
}
