package org.mailtls.provider;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECKey;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Whether a key fits the key type an engine asks a key manager for. Engines name key types
 * differently: SunJSSE "EC", "RSA", "RSASSA-PSS", "EdDSA"; BCJSSE TLS 1.3 signature schemes as
 * "EC/secp256r1"; TLS 1.2 key exchanges as "ECDHE_ECDSA", "ECDHE_RSA". A curve-qualified type
 * only fits a key on that curve: a P-384 key offered for "EC/secp256r1" would make the peer
 * refuse the signature (RFC 8446 §4.2.3 binds ecdsa_secp256r1_sha256 to P-256).
 */
final class KeyTypes {
  private KeyTypes() {}

  /**
   * @param key the private key
   * @param publicKey the leaf certificate's public key (for the curve), or null when unknown: then
   *     a curve-qualified type never fits (doubt means no)
   */
  static boolean fits(String keyType, PrivateKey key, @Nullable PublicKey publicKey) {
    String alg = key.getAlgorithm().toUpperCase(Locale.ROOT);
    String kt = keyType.toUpperCase(Locale.ROOT);
    boolean ec = alg.equals("EC") || alg.equals("ECDSA");
    if (kt.startsWith("EC/")) {
      return ec && curveBits(publicKey) > 0 && curveBits(publicKey) == curveBitsOf(kt.substring(3));
    }
    if (kt.endsWith("_ECDSA") || kt.equals("EC") || kt.equals("ECDSA")) {
      return ec;
    }
    if (kt.endsWith("_RSA") || kt.equals("RSA") || kt.equals("RSASSA-PSS")) {
      return alg.equals("RSA");
    }
    boolean edKey = alg.equals("EDDSA") || alg.equals("ED25519") || alg.equals("ED448");
    if (kt.equals("EDDSA")) {
      return edKey;
    }
    if (kt.equals("ED25519") || kt.equals("ED448")) {
      return alg.equals(kt) || (alg.equals("EDDSA") && kt.equals(edCurve(key)));
    }
    return false;
  }

  /** "ED25519" or "ED448" for a key the JDK names "EdDSA" (the curve is in its parameters). */
  private static String edCurve(PrivateKey key) {
    return key instanceof EdECKey ? ((EdECKey) key).getParams().getName().toUpperCase(Locale.ROOT) : "";
  }

  private static int curveBitsOf(String curve) {
    switch (curve) {
      case "SECP256R1":
        return 256;
      case "SECP384R1":
        return 384;
      case "SECP521R1":
        return 521;
      default:
        return -1;
    }
  }

  private static int curveBits(@Nullable PublicKey pub) {
    return pub instanceof ECPublicKey ? ((ECPublicKey) pub).getParams().getCurve().getField().getFieldSize() : -2;
  }
}
