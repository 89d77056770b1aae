package org.mailtls.provider;

import com.google.common.collect.ImmutableList;
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
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.server.CertificateFinding;

/**
 * A key manager that holds server keys in memory, decrypted once, and chooses the certificate by
 * the host name the client asked for with SNI.
 *
 * <p>Why in memory: SunJSSE's PKIX key manager over a PKCS12 store decrypts the private key again on
 * every handshake (+2.2 ms server side, ../shared/research/engine-performance.md). As a client it
 * offers no certificate at all: offering a client certificate is an account decision (R8314-C-33,
 * C-34) that the accounts issue adds.
 *
 * <p>Why SNI: a server hosting several mail domains may serve each domain its own certificate
 * (R7817-MSP-05 option 3, R8314-S-19). Built from {@link MailTlsServerParameters}, the manager reads
 * the requested name from the handshake session and serves:
 *
 * <ul>
 *   <li>a mapped name: only its mapped alias, and only when that key fits the key type the engine
 *       asks for (else null, so the engine tries its next signature scheme). Never the default
 *       instead: the default certificate was not checked to cover that name;
 *   <li>no SNI (old clients, IP literals): the default alias;
 *   <li>an unmapped name: with {@link #strictSni()} nothing (fail closed; with the matcher of {@link
 *       ServerNames#matcher} installed the engine has already sent {@code unrecognized_name}, TLS-08),
 *       otherwise the default alias.
 * </ul>
 *
 * <p>Built from a plain key store ({@code init(KeyStore, char[])}) it has no name map: the first key
 * of a fitting type serves every client, as before.
 */
final class InMemoryKeyManager extends X509ExtendedKeyManager {
  private final ImmutableMap<String, Entry> entries;
  private final ImmutableMap<String, String> sniAliases;
  private final @Nullable String defaultAlias;
  private final boolean strictSni;
  private final ImmutableList<CertificateFinding> warnings;

  private InMemoryKeyManager(ImmutableMap<String, Entry> entries, ImmutableMap<String, String> sniAliases,
      @Nullable String defaultAlias, boolean strictSni, ImmutableList<CertificateFinding> warnings) {
    this.entries = entries;
    this.sniAliases = sniAliases;
    this.defaultAlias = defaultAlias;
    this.strictSni = strictSni;
    this.warnings = warnings;
  }

  /** Reads every private-key entry of {@code store} with {@code password}; no SNI map. */
  static InMemoryKeyManager from(KeyStore store, char[] password)
      throws KeyStoreException, NoSuchAlgorithmException, UnrecoverableKeyException {
    ImmutableMap.Builder<String, Entry> out = ImmutableMap.builder();
    for (String alias : Collections.list(store.aliases())) {
      Entry e = store.isKeyEntry(alias) ? read(store, alias, password) : null;
      if (e != null) {
        out.put(alias, e);
      }
    }
    return new InMemoryKeyManager(out.buildOrThrow(), ImmutableMap.of(), null, false, ImmutableList.of());
  }

  /**
   * A manager choosing by SNI among already-validated {@code entries}: {@code sniAliases} maps lower-case
   * A-label names to aliases of {@code entries}, and {@code defaultAlias} is one of them.
   */
  static InMemoryKeyManager withServerNames(ImmutableMap<String, Entry> entries, ImmutableMap<String, String> sniAliases,
      String defaultAlias, boolean strictSni, ImmutableList<CertificateFinding> warnings) {
    if (!entries.containsKey(defaultAlias) || !entries.keySet().containsAll(sniAliases.values())) {
      throw new IllegalArgumentException("aliases " + sniAliases.values() + " / default " + defaultAlias
          + " are not all among the loaded keys " + entries.keySet());
    }
    return new InMemoryKeyManager(entries, sniAliases, defaultAlias, strictSni, warnings);
  }

  /**
   * Reads one private-key entry; null when {@code alias} holds no private key with a chain.
   *
   * @throws KeyStoreException if the chain holds a non-X.509 certificate
   */
  static @Nullable Entry read(KeyStore store, String alias, char[] password)
      throws KeyStoreException, NoSuchAlgorithmException, UnrecoverableKeyException {
    java.security.Key key = store.getKey(alias, password);
    Certificate[] chain = store.getCertificateChain(alias);
    if (!(key instanceof PrivateKey) || chain == null || chain.length == 0) {
      return null;
    }
    List<X509Certificate> x509 = new ArrayList<>();
    for (Certificate c : chain) {
      if (!(c instanceof X509Certificate)) {
        throw new KeyStoreException("alias " + alias + " holds a non-X.509 certificate");
      }
      x509.add((X509Certificate) c);
    }
    return new Entry((PrivateKey) key, x509.toArray(X509Certificate[]::new));
  }

  /** True when at least one key can serve as a server key. */
  boolean hasKeys() {
    return !entries.isEmpty();
  }

  /** The mapped SNI names, lower-case A-labels; empty without a name map. For {@link ServerNames#matcher}. */
  Set<String> sniNames() {
    return sniAliases.keySet();
  }

  /** True when an SNI name that is mapped nowhere must be refused with {@code unrecognized_name} (TLS-08). */
  boolean strictSni() {
    return strictSni;
  }

  /** The WARNING findings of the start-up check (for example, a certificate expiring soon). */
  ImmutableList<CertificateFinding> warnings() {
    return warnings;
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
    return choose(keyType, defaultAlias == null ? null : ServerNames.requested(socket));
  }

  @Override
  public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers,
      @Nullable SSLEngine engine) {
    return choose(keyType, defaultAlias == null ? null : ServerNames.requested(engine));
  }

  /** The alias for a client that requested {@code sni} (null: no SNI); see the class comment. */
  private @Nullable String choose(String keyType, @Nullable String sni) {
    if (defaultAlias == null) {
      String[] any = getServerAliases(keyType, null);
      return any == null ? null : any[0];
    }
    String alias;
    if (sni == null) {
      alias = defaultAlias;
    } else if (sniAliases.containsKey(sni)) {
      alias = sniAliases.get(sni);
    } else {
      alias = strictSni ? null : defaultAlias;
    }
    Entry e = alias == null ? null : entries.get(alias);
    return e != null && matches(keyType, e) ? alias : null;
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

  private static boolean matches(String keyType, Entry e) {
    return KeyTypes.fits(keyType, e.key, e.chain[0].getPublicKey());
  }

  /** One loaded key and its chain, leaf first. */
  static final class Entry {
    final PrivateKey key;
    final X509Certificate[] chain;

    Entry(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }
  }
}
