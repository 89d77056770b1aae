package org.mailtls.benchmarks;

import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;
import org.mailtls.testing.TestPki;

/**
 * The certificates every benchmark shares: one test PKI (root, intermediate, leaf) per key type,
 * minted in memory once per JVM (fork). Every variant of a benchmark sees the same certificates and
 * the same trust anchor (the root); the server sends [leaf, intermediate].
 */
final class Fixtures {
  /** The host every client connects to; the leaf's only dNSName. */
  static final String HOST = "imap.example.com";
  /** A host the leaf does not name: every variant must refuse it. */
  static final String WRONG_HOST = "smtp.example.org";
  /** Key-store password (in-memory stores only). */
  static final char[] PASSWORD = "changeit".toCharArray();

  private static final Map<KeyType, Fixtures> CACHE = new EnumMap<>(KeyType.class);

  final KeyType keyType;
  final TestPki pki;
  final HeldCertificate leaf;

  private Fixtures(KeyType keyType) {
    this.keyType = keyType;
    this.pki = TestPki.create(keyType, Clock.systemUTC());
    this.leaf = leafFor(HOST, null);
  }

  /** The fixtures of {@code keyType}, minted on first use. */
  static synchronized Fixtures of(KeyType keyType) {
    return CACHE.computeIfAbsent(keyType, Fixtures::new);
  }

  /** The fixtures of a benchmark's {@code key} parameter: EC_P256 or RSA_2048. */
  static Fixtures of(String key) {
    KeyType t = KeyType.valueOf(key);
    if (t != KeyType.EC_P256 && t != KeyType.RSA_2048) {
      throw new IllegalArgumentException("benchmarks use EC_P256 or RSA_2048, not " + key);
    }
    return of(t);
  }

  /** A new leaf for {@code host} from this PKI's intermediate; with {@code keys} reused when given. */
  HeldCertificate leafFor(String host, KeyPair keys) {
    HeldCertificate.Builder b = pki.leaf().subjectCommonName(host).addDnsName(host).validFor(Duration.ofDays(90));
    if (keys != null) {
      b.keyPair(keys);
    }
    return b.build();
  }

  /** A fresh trust store holding only the root (KeyStore objects are mutable: one per user). */
  KeyStore trustStore() {
    return pki.trustStore();
  }

  /** A fresh PKCS12 key store with the leaf's key and [leaf, intermediate]. */
  KeyStore serverKeyStore() {
    return TestPki.keyStore(leaf, PASSWORD);
  }

  /** What the server sends: the leaf and the intermediate, without the root. */
  static X509Certificate[] sentChain(HeldCertificate leaf) {
    List<X509Certificate> chain = leaf.chain();
    return chain.subList(0, chain.size() - 1).toArray(X509Certificate[]::new);
  }

  /** The TLS 1.2 suite for this key: ECDHE_ECDSA or ECDHE_RSA, AES-128-GCM. */
  static String tls12Suite(String key) {
    return KeyType.valueOf(key).isEc() ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
  }

  /** The one suite a benchmark enables for {@code protocol} and {@code key}. */
  static String suite(String protocol, String key) {
    switch (protocol) {
      case "TLSv1.3":
        return "TLS_AES_128_GCM_SHA256";
      case "TLSv1.2":
        return tls12Suite(key);
      default:
        throw new IllegalArgumentException("protocol must be TLSv1.3 or TLSv1.2: " + protocol);
    }
  }
}
