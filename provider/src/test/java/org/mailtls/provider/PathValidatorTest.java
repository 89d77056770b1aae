package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertPathBuilderException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.mailtls.policy.RevocationMode;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/** MailTLS's own PKIX path validation: injected clock, stapled OCSP (TLS-31), chain length. */
class PathValidatorTest {
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate LEAF = PKI.leaf().addDnsName("mail.example.net").build();
  private static final Set<TrustAnchor> ANCHORS = Set.of(new TrustAnchor(PKI.root().certificate(), null));
  private static final List<X509Certificate> CHAIN = List.of(LEAF.certificate(), PKI.intermediate().certificate());

  @Test
  void validate_noStapledResponse_validChainAccepted() throws Exception {
    new PathValidator(ANCHORS, RevocationMode.STAPLED_OCSP, Clock.systemUTC(), 10).validate(CHAIN, List.of());
  }

  @Test
  void validate_stapledGoodResponse_accepted() throws Exception {
    byte[] good = ocspResponse(CertificateStatus.GOOD);

    new PathValidator(ANCHORS, RevocationMode.STAPLED_OCSP, Clock.systemUTC(), 10).validate(CHAIN, List.of(good));
  }

  /** TLS-31: a stapled "revoked" answer refuses the chain. */
  @Test
  void validate_stapledRevokedResponse_refused() throws Exception {
    byte[] revoked = ocspResponse(new RevokedStatus(Date.from(Instant.now().minusSeconds(3600)), CRLReason.keyCompromise));

    CertPathBuilderException e = assertThrows(CertPathBuilderException.class,
        () -> new PathValidator(ANCHORS, RevocationMode.STAPLED_OCSP, Clock.systemUTC(), 10).validate(CHAIN, List.of(revoked)));
    assertTrue(String.valueOf(e.getCause()).toLowerCase().contains("revoked") || e.getMessage().toLowerCase().contains("revoked"),
        e::toString);
  }

  /** A stapled response that cannot be read refuses the chain instead of being ignored (fail closed). */
  @Test
  void validate_garbageStapledResponse_refused() {
    assertThrows(CertPathBuilderException.class,
        () -> new PathValidator(ANCHORS, RevocationMode.STAPLED_OCSP, Clock.systemUTC(), 10)
            .validate(CHAIN, List.of(new byte[] {0x30, 0x03, 0x0a, 0x01, 0x00})));
  }

  @Test
  void validate_requireStatusWithoutAnySource_refused() {
    assertThrows(CertPathBuilderException.class,
        () -> new PathValidator(ANCHORS, RevocationMode.REQUIRE_STATUS, Clock.systemUTC(), 10).validate(CHAIN, List.of()));
  }

  /** The validity date comes from the injected clock, not the wall clock. */
  @Test
  void validate_clockAfterExpiry_refused() {
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(30)), java.time.ZoneOffset.UTC);

    CertPathBuilderException e = assertThrows(CertPathBuilderException.class,
        () -> new PathValidator(ANCHORS, RevocationMode.NONE, later, 10).validate(CHAIN, List.of()));
    assertTrue(e.getMessage() != null);
  }

  @Test
  void validate_pathLongerThanLimit_refused() {
    assertThrows(CertPathBuilderException.class,
        () -> new PathValidator(ANCHORS, RevocationMode.NONE, Clock.systemUTC(), 1).validate(CHAIN, List.of()));
  }

  @Test
  void construct_noAnchors_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PathValidator(Set.of(), RevocationMode.NONE, Clock.systemUTC(), 10));
    assertTrue(e.getMessage().startsWith("no trust anchors"), e.getMessage());
  }

  private static byte[] ocspResponse(CertificateStatus status) throws Exception {
    return ocspResponse(PKI, LEAF, status, Instant.now());
  }

  /** A stapled "revoked" OCSP answer for {@code leaf}, signed by {@code pki}'s intermediate, produced at {@code now}. */
  static byte[] revokedResponseFor(TestPki pki, HeldCertificate leaf, Instant now) throws Exception {
    return ocspResponse(pki, leaf, new RevokedStatus(Date.from(now.minusSeconds(3600)), CRLReason.keyCompromise), now);
  }

  static byte[] ocspResponse(TestPki pki, HeldCertificate leaf, CertificateStatus status, Instant at) throws Exception {
    HeldCertificate issuer = pki.intermediate();
    X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer.certificate());
    CertificateID id = new CertificateID(
        new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1), issuerHolder,
        leaf.certificate().getSerialNumber());
    JcaBasicOCSPRespBuilder b = new JcaBasicOCSPRespBuilder(issuer.certificate().getPublicKey(),
        new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1));
    Date now = Date.from(at);
    b.addResponse(id, status, now, new Date(now.getTime() + 86_400_000L));
    BasicOCSPResp resp = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.privateKey()),
        new X509CertificateHolder[] {issuerHolder}, now);
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, resp).getEncoded();
  }

}
