package org.mailtls.testing;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The common test PKI shape, root CA → intermediate CA → leaf, minted in memory.
 *
 * <p>Most TLS tests need exactly this: a trust store with one root, and a server key store with a
 * leaf plus its intermediate. The root (subject "CN=MailTLS Test Root", no pathLen, valid 10
 * years) and the intermediate ("CN=MailTLS Test Intermediate", pathLen 0, valid 5 years, signed
 * by the root) are minted once per instance; leaves are minted per test through {@link #leaf()}.
 * Immutable; key stores are new objects on every call because {@link KeyStore} is mutable.
 */
public final class TestPki {
  /** Subject CN of {@link #root()}. */
  public static final String ROOT_CN = "MailTLS Test Root";
  /** Subject CN of {@link #intermediate()}. */
  public static final String INTERMEDIATE_CN = "MailTLS Test Intermediate";
  /** Alias of the private key entry in {@link #keyStore(HeldCertificate, char[])}. */
  public static final String LEAF_ALIAS = "leaf";
  /** Alias of the trusted certificate entry in {@link #trustStore()}. */
  public static final String ROOT_ALIAS = "root";

  private final KeyType keyType;
  private final Clock clock;
  private final SecureRandom random;
  private final HeldCertificate root;
  private final HeldCertificate intermediate;

  private TestPki(KeyType keyType, Clock clock, SecureRandom random) {
    this.keyType = keyType;
    this.clock = clock;
    this.random = random;
    this.root = HeldCertificate.builder()
        .clock(clock).random(random).keyType(keyType)
        .subjectCommonName(ROOT_CN)
        .certificateAuthority(-1)
        .validFor(Duration.ofDays(3650))
        .build();
    this.intermediate = HeldCertificate.builder()
        .clock(clock).random(random).keyType(keyType)
        .subjectCommonName(INTERMEDIATE_CN)
        .certificateAuthority(0)
        .validFor(Duration.ofDays(1825))
        .signedBy(root)
        .build();
  }

  /** An EC P-256 PKI on the system UTC clock. */
  public static TestPki create() {
    return create(KeyType.EC_P256, Clock.systemUTC());
  }

  /** A PKI whose CA keys and default leaf keys are of {@code keyType}, timed by {@code clock}. */
  public static TestPki create(KeyType keyType, Clock clock) {
    return create(keyType, clock, new SecureRandom());
  }

  /** As {@link #create(KeyType, Clock)}, drawing all randomness from {@code random}. */
  public static TestPki create(KeyType keyType, Clock clock, SecureRandom random) {
    if (keyType == null || clock == null || random == null) {
      throw new IllegalArgumentException("keyType, clock and random must not be null: "
          + keyType + ", " + clock + ", " + random);
    }
    return new TestPki(keyType, clock, random);
  }

  /** The self-signed root CA, the only trust anchor. */
  public HeldCertificate root() {
    return root;
  }

  /** The intermediate CA (pathLen 0) that signs leaves. */
  public HeldCertificate intermediate() {
    return intermediate;
  }

  /**
   * A builder for a leaf: signed by {@link #intermediate()}, on this PKI's clock and random, with a
   * key of this PKI's key type unless {@code keyType}/{@code keyPair} is set. Add SANs and build.
   */
  public HeldCertificate.Builder leaf() {
    HeldCertificate.Builder builder = HeldCertificate.builder()
        .clock(clock).random(random).signedBy(intermediate);
    builder.spec.defaultKeyType = keyType;
    return builder;
  }

  /** A new in-memory PKCS12 key store holding {@link #root()} as trusted entry {@code "root"}. */
  public KeyStore trustStore() {
    try {
      KeyStore store = emptyPkcs12();
      store.setCertificateEntry(ROOT_ALIAS, root.certificate());
      return store;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot fill an in-memory PKCS12 trust store", e);
    }
  }

  /**
   * A new in-memory PKCS12 key store with one private key entry, alias {@code "leaf"}, whose chain
   * is the leaf and its intermediates without the root (as a server sends it).
   */
  public static KeyStore keyStore(HeldCertificate leaf, char[] password) {
    if (leaf == null || password == null) {
      throw new IllegalArgumentException("leaf and password must not be null: " + leaf);
    }
    List<X509Certificate> chain = leaf.chain();
    List<X509Certificate> sent = chain.size() > 1 ? chain.subList(0, chain.size() - 1) : chain;
    try {
      KeyStore store = emptyPkcs12();
      store.setKeyEntry(LEAF_ALIAS, leaf.privateKey(), password,
          sent.toArray(new X509Certificate[0]));
      return store;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot fill an in-memory PKCS12 key store", e);
    }
  }

  private static KeyStore emptyPkcs12() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new IllegalStateException("an empty in-memory key store cannot fail to load", e);
    }
    return store;
  }
}
