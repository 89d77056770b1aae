package org.mailtls.testing;

/**
 * The signature algorithms an issuer can sign a {@link HeldCertificate} with.
 *
 * <p>Includes the SHA-1 variants on purpose: a mail-TLS policy must be tested against
 * certificates it ought to reject. Each constant carries its JCA name, which is what BouncyCastle's
 * {@code JcaContentSignerBuilder} and {@link java.security.Signature} expect.
 */
public enum SignatureAlgorithm {
  /** ECDSA with SHA-256; the default for P-256 issuers. */
  SHA256_WITH_ECDSA("SHA256withECDSA", "1.2.840.10045.4.3.2"),
  /** ECDSA with SHA-384; the default for P-384 issuers. */
  SHA384_WITH_ECDSA("SHA384withECDSA", "1.2.840.10045.4.3.3"),
  /** ECDSA with SHA-1; deprecated, for negative tests. */
  SHA1_WITH_ECDSA("SHA1withECDSA", "1.2.840.10045.4.1"),
  /** RSASSA-PKCS1-v1_5 with SHA-256; the default for RSA issuers. */
  SHA256_WITH_RSA("SHA256withRSA", "1.2.840.113549.1.1.11"),
  /** RSASSA-PKCS1-v1_5 with SHA-1; deprecated, for negative tests. */
  SHA1_WITH_RSA("SHA1withRSA", "1.2.840.113549.1.1.5"),
  /** Pure Ed25519 (RFC 8410); the only choice for Ed25519 issuers. */
  ED25519("Ed25519", "1.3.101.112");

  private final String jcaName;
  private final String oid;

  SignatureAlgorithm(String jcaName, String oid) {
    this.jcaName = jcaName;
    this.oid = oid;
  }

  /** The JCA standard name, e.g. {@code "SHA256withECDSA"}. */
  public String jcaName() {
    return jcaName;
  }

  /**
   * The dotted algorithm OID written into the certificate's signatureAlgorithm field, so tests
   * can compare it with {@link java.security.cert.X509Certificate#getSigAlgOID()}.
   */
  public String oid() {
    return oid;
  }

  /** Whether a private key of type {@code keyType} can produce this signature. */
  public boolean isCompatibleWith(KeyType keyType) {
    if (keyType == null) {
      throw new IllegalArgumentException("keyType must not be null");
    }
    switch (this) {
      case SHA256_WITH_ECDSA:
      case SHA384_WITH_ECDSA:
      case SHA1_WITH_ECDSA:
        return keyType.isEc();
      case SHA256_WITH_RSA:
      case SHA1_WITH_RSA:
        return keyType.isRsa();
      default:
        return keyType == KeyType.ED25519;
    }
  }

  /**
   * The conventional algorithm for an issuer key: SHA-256 ECDSA for P-256 (SHA-384 for P-384),
   * SHA-256 RSA for RSA keys and Ed25519 for Ed25519 keys.
   */
  public static SignatureAlgorithm defaultFor(KeyType issuerKeyType) {
    if (issuerKeyType == null) {
      throw new IllegalArgumentException("issuerKeyType must not be null");
    }
    switch (issuerKeyType) {
      case EC_P256:
        return SHA256_WITH_ECDSA;
      case EC_P384:
        return SHA384_WITH_ECDSA;
      case RSA_2048:
      case RSA_1024:
        return SHA256_WITH_RSA;
      default:
        return ED25519;
    }
  }
}
