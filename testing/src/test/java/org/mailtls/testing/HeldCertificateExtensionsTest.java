package org.mailtls.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.testing.CertAsserts.extnValue;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** basicConstraints, keyUsage, extendedKeyUsage and serial numbers of {@link HeldCertificate}. */
class HeldCertificateExtensionsTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @Test
  void build_certificateAuthority_basicConstraintsKeyUsageAndNoEku() throws Exception {
    X509Certificate unlimited =
        HeldCertificate.builder().certificateAuthority(-1).build().certificate();
    X509Certificate pathLen0 =
        HeldCertificate.builder().certificateAuthority(0).build().certificate();
    X509Certificate explicitCa =
        HeldCertificate.builder().basicConstraintsCa(true).build().certificate();

    assertEquals(Integer.MAX_VALUE, unlimited.getBasicConstraints());
    assertEquals(0, pathLen0.getBasicConstraints());
    assertEquals(Integer.MAX_VALUE, explicitCa.getBasicConstraints());
    for (X509Certificate ca : List.of(unlimited, pathLen0, explicitCa)) {
      boolean[] ku = ca.getKeyUsage();
      assertTrue(ku[5] && ku[6], "keyCertSign and cRLSign");
      assertFalse(ku[0], "no digitalSignature by default");
      assertNull(ca.getExtendedKeyUsage());
      assertTrue(ca.getCriticalExtensionOIDs().contains("2.5.29.19"));
      assertTrue(ca.getNonCriticalExtensionOIDs().contains("2.5.29.14"), "subjectKeyIdentifier");
    }
  }

  @Test
  void build_basicConstraintsOverrides_writtenOrOmittedAndConflictsRejected() throws Exception {
    X509Certificate caFalse =
        HeldCertificate.builder().basicConstraintsCa(false).build().certificate();
    X509Certificate none = HeldCertificate.builder().noBasicConstraints().build().certificate();

    assertFalse(BasicConstraints.getInstance(extnValue(caFalse, "2.5.29.19")).isCA());
    assertNull(none.getExtensionValue("2.5.29.19"));
    assertThrows(IllegalStateException.class, () -> HeldCertificate.builder()
        .certificateAuthority(1).basicConstraintsCa(false).build());
    assertThrows(IllegalStateException.class, () -> HeldCertificate.builder()
        .certificateAuthority(1).noBasicConstraints().build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HeldCertificate.builder().certificateAuthority(-2));
    assertTrue(e.getMessage().contains("-2"));
  }

  @Test
  void build_extendedKeyUsage_explicitNoneAndConflicts() {
    X509Certificate serverOnly = HeldCertificate.builder()
        .extendedKeyUsage(SERVER_AUTH).build().certificate();
    X509Certificate none = HeldCertificate.builder()
        .noExtendedKeyUsage().build().certificate();
    X509Certificate caWithEku = HeldCertificate.builder()
        .certificateAuthority(0).extendedKeyUsage(SERVER_AUTH, CLIENT_AUTH).build().certificate();

    assertEquals(List.of(SERVER_AUTH), asList(serverOnly));
    assertNull(asList(none));
    assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), asList(caWithEku));
    assertThrows(IllegalStateException.class, () -> HeldCertificate.builder()
        .extendedKeyUsage(SERVER_AUTH).noExtendedKeyUsage().build());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> HeldCertificate.builder().extendedKeyUsage("serverAuth")).getMessage()
        .contains("serverAuth"));
    assertThrows(IllegalArgumentException.class,
        () -> HeldCertificate.builder().extendedKeyUsage());
  }

  @Test
  void build_keyUsage_explicitBitsNoneAndValidation() {
    X509Certificate agreement = HeldCertificate.builder()
        .keyUsage(KeyUsage.keyAgreement | KeyUsage.decipherOnly).build().certificate();
    X509Certificate none = HeldCertificate.builder().noKeyUsage().build().certificate();

    boolean[] ku = agreement.getKeyUsage();
    assertTrue(ku[4] && ku[8]);
    assertFalse(ku[0]);
    assertNull(none.getKeyUsage());
    assertThrows(IllegalStateException.class,
        () -> HeldCertificate.builder().keyUsage(KeyUsage.digitalSignature).noKeyUsage().build());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> HeldCertificate.builder().keyUsage(0x10000)).getMessage().contains("10000"));
    assertThrows(IllegalArgumentException.class, () -> HeldCertificate.builder().keyUsage(0));
  }

  @Test
  void build_serialNumber_explicitOrRandomPositive() {
    BigInteger negative = BigInteger.valueOf(-5);
    assertEquals(negative,
        HeldCertificate.builder().serialNumber(negative).build().certificate().getSerialNumber());
    HeldCertificate.Builder reused = HeldCertificate.builder();
    assertNotEquals(reused.build().certificate().getSerialNumber(),
        reused.build().certificate().getSerialNumber());
    assertThrows(IllegalArgumentException.class, () -> reused.serialNumber(null));
  }

  private static List<String> asList(X509Certificate cert) {
    try {
      return cert.getExtendedKeyUsage();
    } catch (java.security.cert.CertificateParsingException e) {
      throw new AssertionError(e);
    }
  }
}
