package org.mailtls.policy.tls;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;

/**
 * Key-size and signature floors on a validated certification path (TLS-24, TLS-25, RFC 9155,
 * requirements.md B.7): RSA moduli of at least 2048 bits, elliptic curves of at least 224 bits,
 * Ed25519/Ed448, and signatures only with SHA-256 or stronger, except the self-signature of a trust
 * anchor, which is never checked. Any other key type or signature algorithm is refused (fail closed).
 */
public final class ChainFloors {
  /** RFC 9325 §4.5: RSA moduli below 2048 bits are refused. */
  public static final int MIN_RSA_BITS = 2048;

  /** RFC 9325 §4.5: curves below 224 bits are refused. */
  public static final int MIN_EC_BITS = 224;

  private static final ImmutableSet<String> STRONG_SIGNATURES = ImmutableSet.of(
      "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
      "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
      "1.2.840.113549.1.1.13", // sha512WithRSAEncryption
      "1.2.840.10045.4.3.2", // ecdsa-with-SHA256
      "1.2.840.10045.4.3.3", // ecdsa-with-SHA384
      "1.2.840.10045.4.3.4", // ecdsa-with-SHA512
      "1.3.101.112", // Ed25519
      "1.3.101.113"); // Ed448

  private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";

  private static final ImmutableSet<ASN1ObjectIdentifier> STRONG_PSS_HASHES = ImmutableSet.of(
      NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

  private ChainFloors() {}

  /**
   * Checks every certificate of {@code path} (leaf first, as built by PKIX, without the anchor),
   * then the anchor's key when {@code anchorKey} is given.
   */
  public static ImmutableList<FloorViolation> check(List<X509Certificate> path, PublicKey anchorKey) {
    List<FloorViolation> out = new ArrayList<>();
    for (int i = 0; i < path.size(); i++) {
      X509Certificate c = path.get(i);
      String subject = "certificate " + i + " (" + c.getSubjectX500Principal().getName() + ")";
      checkKey(c.getPublicKey(), subject, out);
      checkSignature(c, subject, out);
    }
    checkKey(anchorKey, "trust anchor", out);
    return ImmutableList.copyOf(out);
  }

  static void checkKey(PublicKey key, String subject, List<FloorViolation> out) {
    if (key instanceof RSAPublicKey) {
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        out.add(new FloorViolation("TLS-25", subject,
            "RSA key of " + bits + " bits; at least " + MIN_RSA_BITS + " are required (RFC 9325 §4.5)"));
      }
    } else if (key instanceof ECPublicKey) {
      int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
      if (bits < MIN_EC_BITS) {
        out.add(new FloorViolation("TLS-24", subject,
            "elliptic curve of " + bits + " bits; at least " + MIN_EC_BITS + " are required (RFC 9325 §4.5)"));
      }
    } else if (!"Ed25519".equals(key.getAlgorithm()) && !"Ed448".equals(key.getAlgorithm())
        && !"EdDSA".equals(key.getAlgorithm())) {
      out.add(new FloorViolation("TLS-25", subject,
          "key type " + key.getAlgorithm() + " is not allowed (RSA, EC, Ed25519 and Ed448 are)"));
    }
  }

  static void checkSignature(X509Certificate c, String subject, List<FloorViolation> out) {
    String oid = c.getSigAlgOID();
    if (STRONG_SIGNATURES.contains(oid)) {
      return;
    }
    if (RSASSA_PSS.equals(oid) && pssHashIsStrong(c.getSigAlgParams())) {
      return;
    }
    out.add(new FloorViolation("TLS-25", subject, "signed with " + c.getSigAlgName() + " (" + oid
        + "); SHA-1, MD5 and unknown signature algorithms are refused (RFC 9155, RFC 9325 §4.5)"));
  }

  private static boolean pssHashIsStrong(byte[] params) {
    if (params == null) {
      return false; // absent parameters mean SHA-1 (RFC 4055)
    }
    try {
      RSASSAPSSparams p = RSASSAPSSparams.getInstance(params);
      return STRONG_PSS_HASHES.contains(p.getHashAlgorithm().getAlgorithm());
    } catch (RuntimeException e) {
      return false;
    }
  }
}
