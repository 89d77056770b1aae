package org.mailtls.cli.probe;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * One certificate of the chain a server presented, as the report shows it: subject, issuer, key,
 * signature algorithm, validity and fingerprint.
 *
 * <p>The key is described from the certificate's own SubjectPublicKeyInfo bytes rather than from
 * the {@code PublicKey} object, because the two engines hand out different key classes (SunJSSE's
 * and BouncyCastle's name the same curve differently); parsing the DER gives one answer for both.
 *
 * @param subject the subject DN (RFC 2253), made printable
 * @param issuer the issuer DN (RFC 2253), made printable
 * @param keyType {@code EC}, {@code RSA}, {@code Ed25519}, {@code Ed448} or the algorithm OID
 * @param keyBits the key size in bits (RSA modulus, EC field size, 255/448 for EdDSA), 0 if unknown
 * @param keyDetail e.g. {@code EC P-256}, {@code RSA 2048}
 * @param signatureAlgorithm how the issuer signed it, e.g. {@code SHA256withECDSA}
 * @param notBefore validity start, ISO-8601
 * @param notAfter validity end, ISO-8601
 * @param sha256 the SHA-256 fingerprint of the DER, lower-case hex
 */
record CertificateInfo(String subject, String issuer, String keyType, int keyBits, String keyDetail,
    String signatureAlgorithm, String notBefore, String notAfter, String sha256) {

  /** The X.509 certificates among {@code chain}, leaf first. */
  static List<CertificateInfo> of(Certificate[] chain) {
    List<CertificateInfo> infos = new ArrayList<>();
    for (Certificate c : chain) {
      if (c instanceof X509Certificate) {
        infos.add(of((X509Certificate) c));
      }
    }
    return List.copyOf(infos);
  }

  static CertificateInfo of(X509Certificate c) {
    String keyType;
    int bits;
    String detail;
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(c.getPublicKey().getEncoded());
    ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
    if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      keyType = "EC";
      String curve = "unnamed curve";
      bits = 0;
      if (spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier) {
        ASN1ObjectIdentifier oid = (ASN1ObjectIdentifier) spki.getAlgorithm().getParameters();
        String nist = NISTNamedCurves.getName(oid);
        String x9 = ECNamedCurveTable.getName(oid);
        curve = nist != null ? nist : x9 != null ? x9 : oid.getId();
        X9ECParameters params = ECNamedCurveTable.getByOID(oid);
        bits = params != null ? params.getCurve().getFieldSize() : 0;
      }
      detail = "EC " + curve;
    } else if (c.getPublicKey() instanceof RSAPublicKey) {
      keyType = "RSA";
      bits = ((RSAPublicKey) c.getPublicKey()).getModulus().bitLength();
      detail = "RSA " + bits;
    } else if (alg.getId().equals("1.3.101.112")) {
      keyType = "Ed25519";
      bits = 255;
      detail = keyType;
    } else if (alg.getId().equals("1.3.101.113")) {
      keyType = "Ed448";
      bits = 448;
      detail = keyType;
    } else {
      keyType = c.getPublicKey().getAlgorithm();
      bits = 0;
      detail = keyType + " (" + alg.getId() + ")";
    }
    return new CertificateInfo(Text.printable(c.getSubjectX500Principal().getName(X500Principal.RFC2253)),
        Text.printable(c.getIssuerX500Principal().getName(X500Principal.RFC2253)), keyType, bits, detail,
        c.getSigAlgName(), c.getNotBefore().toInstant().toString(), c.getNotAfter().toInstant().toString(),
        sha256(c));
  }

  private static String sha256(X509Certificate c) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      return "unavailable: " + e.getMessage();
    }
  }
}
