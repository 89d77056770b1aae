package org.mailtls.testing;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.EllipticCurve;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/**
 * The key pair shapes a {@link HeldCertificate} can be minted with.
 *
 * <p>The set is deliberately small: the shapes a mail-TLS policy has to accept ({@link #EC_P256},
 * {@link #EC_P384}, {@link #RSA_2048}, {@link #ED25519}) plus one it has to reject as too weak
 * ({@link #RSA_1024}). {@link #EC_P256} is the default because it is cheap to generate and the
 * most common WebPKI leaf key today. Keys are generated with the JDK's own providers so that
 * SunJSSE, PKCS#12 key stores and BCJSSE all accept them unchanged.
 */
public enum KeyType {
  /** ECDSA key on NIST P-256 (secp256r1); the default. */
  EC_P256("EC", new ECGenParameterSpec("secp256r1")),
  /** ECDSA key on NIST P-384 (secp384r1). */
  EC_P384("EC", new ECGenParameterSpec("secp384r1")),
  /** 2048-bit RSA key, public exponent 65537. */
  RSA_2048("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4)),
  /** 1024-bit RSA key, too weak for any modern policy; exists for negative tests. */
  RSA_1024("RSA", new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4)),
  /** Ed25519 (RFC 8410) key. */
  ED25519("Ed25519", NamedParameterSpec.ED25519);

  private final String jcaAlgorithm;
  private final AlgorithmParameterSpec spec;

  KeyType(String jcaAlgorithm, AlgorithmParameterSpec spec) {
    this.jcaAlgorithm = jcaAlgorithm;
    this.spec = spec;
  }

  /** True for the two ECDSA curves, so callers can pick an ECDSA signature algorithm. */
  public boolean isEc() {
    return this == EC_P256 || this == EC_P384;
  }

  /** True for the RSA sizes, so callers can pick an RSA signature algorithm. */
  public boolean isRsa() {
    return this == RSA_2048 || this == RSA_1024;
  }

  /** Generates a fresh key pair of this type, drawing all randomness from {@code random}. */
  KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaAlgorithm);
      generator.initialize(spec, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate " + this + " keys", e);
    }
  }

  private EllipticCurve curve() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(spec);
      return params.getParameterSpec(ECParameterSpec.class).getCurve();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK does not know the curve of " + this, e);
    }
  }

  /**
   * Infers the key type of an existing public key, so that a reused key pair gets the same
   * defaults as a generated one.
   *
   * @throws IllegalArgumentException if the key is not one of the supported shapes
   */
  public static KeyType of(PublicKey key) {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    if (key instanceof ECPublicKey) {
      EllipticCurve curve = ((ECPublicKey) key).getParams().getCurve();
      for (KeyType type : new KeyType[] {EC_P256, EC_P384}) {
        if (type.curve().equals(curve)) {
          return type;
        }
      }
      throw new IllegalArgumentException(
          "unsupported EC curve of " + curve.getField().getFieldSize() + " bits (not P-256/P-384)");
    }
    if (key instanceof RSAPublicKey) {
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits == 2048) {
        return RSA_2048;
      }
      if (bits == 1024) {
        return RSA_1024;
      }
      throw new IllegalArgumentException("unsupported RSA key size: " + bits);
    }
    if (key instanceof EdECKey) {
      String curve = ((EdECKey) key).getParams().getName();
      if ("Ed25519".equalsIgnoreCase(curve)) {
        return ED25519;
      }
      throw new IllegalArgumentException("unsupported EdDSA curve: " + curve);
    }
    if ("Ed25519".equalsIgnoreCase(key.getAlgorithm())) {
      return ED25519;
    }
    throw new IllegalArgumentException("unsupported key algorithm: " + key.getAlgorithm());
  }
}
