package org.mailtls.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.Extension;

/** Reads extensions back out of minted certificates with BouncyCastle's ASN.1 parser. */
final class CertAsserts {
  private CertAsserts() {}

  /** The extnValue octets of extension {@code oid}, failing the test if absent. */
  static byte[] extnValue(X509Certificate cert, String oid) {
    byte[] wrapped = cert.getExtensionValue(oid);
    assertNotNull(wrapped, "extension " + oid + " missing");
    return ASN1OctetString.getInstance(wrapped).getOctets();
  }

  /** The SAN extnValue octets. */
  static byte[] sanValue(HeldCertificate held) {
    return extnValue(held.certificate(), Extension.subjectAlternativeName.getId());
  }

  /** The SAN SEQUENCE as parsed by BouncyCastle (no GeneralName validation). */
  static ASN1Sequence sanSequence(HeldCertificate held) {
    return ASN1Sequence.getInstance(sanValue(held));
  }

  /** The DER of the i-th SAN entry. */
  static byte[] sanEntry(HeldCertificate held, int i) throws Exception {
    return sanSequence(held).getObjectAt(i).toASN1Primitive().getEncoded();
  }

  /** Hex of bytes, upper case, for readable assertion messages. */
  static String hex(byte[] bytes) {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }

  /** Bytes from hex (spaces allowed). */
  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }
}
