package org.mailtls.provider;

import com.google.common.collect.ImmutableMap;
import java.net.Socket;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * A key manager that holds every private key of a key store in memory, decrypted once.
 *
 * <p>Why: SunJSSE's PKIX key manager over a PKCS12 store decrypts the private key again on every
 * handshake (+2.2 ms server side, ../shared/research/engine-performance.md). As a client it offers
 * no certificate at all: offering a client certificate is an account decision (R8314-C-33, C-34)
 * that the accounts issue adds.
 */
final class InMemoryKeyManager extends X509ExtendedKeyManager {
  private final ImmutableMap<String, Entry> entries;

  private InMemoryKeyManager(ImmutableMap<String, Entry> entries) {
    this.entries = entries;
  }

  /** Reads every private-key entry of {@code store} with {@code password}. */
  static InMemoryKeyManager from(KeyStore store, char[] password)
      throws KeyStoreException, NoSuchAlgorithmException, UnrecoverableKeyException {
    ImmutableMap.Builder<String, Entry> out = ImmutableMap.builder();
    for (String alias : Collections.list(store.aliases())) {
      if (!store.isKeyEntry(alias)) {
        continue;
      }
      java.security.Key key = store.getKey(alias, password);
      Certificate[] chain = store.getCertificateChain(alias);
      if (!(key instanceof PrivateKey) || chain == null || chain.length == 0) {
        continue;
      }
      List<X509Certificate> x509 = new ArrayList<>();
      for (Certificate c : chain) {
        if (!(c instanceof X509Certificate)) {
          throw new KeyStoreException("alias " + alias + " holds a non-X.509 certificate");
        }
        x509.add((X509Certificate) c);
      }
      out.put(alias, new Entry((PrivateKey) key, x509.toArray(X509Certificate[]::new)));
    }
    return new InMemoryKeyManager(out.buildOrThrow());
  }

  /** True when at least one key can serve as a server key. */
  boolean hasKeys() {
    return !entries.isEmpty();
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return null;
  }

  /** Never offers a client certificate without an account that authorises one (R8314-C-33). */
  @Override
  public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return null;
  }

  @Override
  public @Nullable String chooseEngineClientAlias(String[] keyType, Principal @Nullable [] issuers,
      @Nullable SSLEngine engine) {
    return null;
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    List<String> out = new ArrayList<>();
    for (var e : entries.entrySet()) {
      if (matches(keyType, e.getValue())) {
        out.add(e.getKey());
      }
    }
    return out.isEmpty() ? null : out.toArray(String[]::new);
  }

  @Override
  public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    String[] aliases = getServerAliases(keyType, issuers);
    return aliases == null ? null : aliases[0];
  }

  @Override
  public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers,
      @Nullable SSLEngine engine) {
    return chooseServerAlias(keyType, issuers, null);
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(String alias) {
    Entry e = entries.get(alias);
    return e == null ? null : e.chain.clone();
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(String alias) {
    Entry e = entries.get(alias);
    return e == null ? null : e.key;
  }

  /**
   * Key types as engines pass them: "EC", "RSA", "RSASSA-PSS", "EdDSA"/"Ed25519", and TLS 1.2
   * forms such as "ECDHE_ECDSA" or "ECDHE_RSA".
   */
  private static boolean matches(String keyType, Entry e) {
    String alg = e.key.getAlgorithm().toUpperCase(Locale.ROOT);
    String kt = keyType.toUpperCase(Locale.ROOT);
    if (kt.startsWith("EC/")) {
      // BCJSSE asks for TLS 1.3 signature schemes as "EC/secp256r1" etc.: the curve must match.
      return (alg.equals("EC") || alg.equals("ECDSA")) && curveBits(e) == curveBitsOf(kt.substring(3));
    }
    if (kt.endsWith("_ECDSA") || kt.equals("EC") || kt.equals("ECDSA")) {
      return alg.equals("EC") || alg.equals("ECDSA");
    }
    if (kt.endsWith("_RSA") || kt.equals("RSA") || kt.equals("RSASSA-PSS")) {
      return alg.equals("RSA");
    }
    if (kt.equals("EDDSA") || kt.equals("ED25519") || kt.equals("ED448")) {
      return alg.equals("EDDSA") || alg.equals("ED25519") || alg.equals("ED448");
    }
    return false;
  }

  private static int curveBitsOf(String curve) {
    switch (curve) {
      case "SECP256R1": return 256;
      case "SECP384R1": return 384;
      case "SECP521R1": return 521;
      default: return -1;
    }
  }

  private static int curveBits(Entry e) {
    java.security.PublicKey pub = e.chain[0].getPublicKey();
    return pub instanceof java.security.interfaces.ECPublicKey
        ? ((java.security.interfaces.ECPublicKey) pub).getParams().getCurve().getField().getFieldSize() : -2;
  }

  private static final class Entry {
    final PrivateKey key;
    final X509Certificate[] chain;

    Entry(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }
  }
}
