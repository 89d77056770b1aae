package org.mailtls.provider;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.lang.System.Logger.Level;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.server.CertificateFinding;
import org.mailtls.policy.server.ServerCertificateCheck;

/**
 * {@code KeyManagerFactory.getInstance("MailTLS")}: server keys held in memory; as a client it offers
 * no certificate (account scoping comes with the accounts issue).
 *
 * <ul>
 *   <li>{@code init(KeyStore, char[])}: every private-key entry, no SNI map, no start-up check (as
 *       before).
 *   <li>{@code init(MailTlsServerParameters)}: the certificate is chosen by SNI, and the start-up check
 *       runs first (R8314-S-18, R8314-S-19; see {@link #resolve}): any ERROR finding refuses the
 *       configuration with an {@link InvalidAlgorithmParameterException} listing every finding, so a
 *       server with an expired, incomplete or wrong-name certificate does not start; WARNING findings
 *       are logged to the {@code org.mailtls.provider.server} {@link System.Logger} and kept on the
 *       key manager.
 * </ul>
 */
final class MailTlsKeyManagerFactorySpi extends KeyManagerFactorySpi {
  /** The logger for server start-up findings. */
  static final String LOGGER = "org.mailtls.provider.server";

  private @Nullable InMemoryKeyManager manager;

  @Override
  protected void engineInit(KeyStore ks, char[] password)
      throws KeyStoreException, NoSuchAlgorithmException, UnrecoverableKeyException {
    if (ks == null) {
      throw new KeyStoreException("MailTLS key managers need a key store; there is no default server key");
    }
    manager = InMemoryKeyManager.from(ks, password == null ? new char[0] : password);
  }

  @Override
  protected void engineInit(ManagerFactoryParameters spec) throws InvalidAlgorithmParameterException {
    if (!(spec instanceof MailTlsServerParameters)) {
      throw new InvalidAlgorithmParameterException("MailTLS key managers take MailTlsServerParameters, or a KeyStore"
          + " and its password; not " + (spec == null ? "null" : spec.getClass().getName()));
    }
    manager = create((MailTlsServerParameters) spec);
  }

  static InMemoryKeyManager create(MailTlsServerParameters p) throws InvalidAlgorithmParameterException {
    Setup setup = resolve(p);
    ImmutableList<CertificateFinding> findings = setup.findings();
    if (findings.stream().anyMatch(CertificateFinding::isError)) {
      StringBuilder sb = new StringBuilder("MailTLS refuses the server certificate configuration (R8314-S-18,"
          + " R8314-S-19); fix every ERROR:");
      findings.forEach(f -> sb.append("\n  ").append(f));
      throw new InvalidAlgorithmParameterException(sb.toString());
    }
    ImmutableMap.Builder<String, InMemoryKeyManager.Entry> entries = ImmutableMap.builder();
    char[] password = p.password();
    try {
      for (String alias : setup.aliases()) {
        InMemoryKeyManager.Entry e = InMemoryKeyManager.read(p.keyStore(), alias, password);
        if (e == null) {
          throw new InvalidAlgorithmParameterException("key alias \"" + alias + "\" yields no private key with a"
              + " certificate chain");
        }
        entries.put(alias, e);
      }
    } catch (InvalidAlgorithmParameterException e) {
      throw e;
    } catch (UnrecoverableKeyException e) {
      throw new InvalidAlgorithmParameterException("cannot decrypt the private keys " + setup.aliases() + " with the"
          + " given password (" + e.getMessage() + "): give the key entries' password to MailTlsServerParameters", e);
    } catch (GeneralSecurityException e) {
      throw new InvalidAlgorithmParameterException("cannot read the private keys " + setup.aliases() + ": "
          + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
    System.Logger log = System.getLogger(LOGGER);
    for (CertificateFinding w : findings) { // no ERROR is left: these are the warnings
      log.log(Level.WARNING, "MailTLS server certificate: " + w);
    }
    String def = java.util.Objects.requireNonNull(setup.defaultAlias(), "no ERROR finding means a default alias");
    return InMemoryKeyManager.withServerNames(entries.buildKeepingLast(), ImmutableMap.copyOf(p.serverNames()), def,
        p.strictSni(), findings);
  }

  /**
   * What the parameters select from their key store.
   *
   * @param defaultAlias the alias for clients without SNI; null only together with an ERROR finding
   * @param aliases every alias to load (mapped and default) that exists as a private-key entry
   * @param findings alias problems and the {@link ServerCertificateCheck} findings of each alias
   */
  record Setup(@Nullable String defaultAlias, ImmutableList<String> aliases, ImmutableList<CertificateFinding> findings) {}

  /**
   * Checks the parameters against their key store without decrypting any key: every mapped alias
   * exists and is a private-key entry, the default alias is known (explicit, the only mapped alias,
   * or the store's only private key), and each alias's chain passes {@link ServerCertificateCheck}
   * for the names mapped to it.
   */
  static Setup resolve(MailTlsServerParameters p) {
    List<CertificateFinding> out = new ArrayList<>();
    KeyStore ks = p.keyStore();
    List<String> keyAliases = new ArrayList<>();
    try {
      for (String a : Collections.list(ks.aliases())) {
        if (ks.entryInstanceOf(a, KeyStore.PrivateKeyEntry.class)) {
          keyAliases.add(a);
        }
      }
    } catch (KeyStoreException e) {
      out.add(CertificateFinding.error("R8314-S-18", "key store", "cannot be read (" + e.getMessage() + "): load it"
          + " before giving it to MailTlsServerParameters"));
      return new Setup(null, ImmutableList.of(), ImmutableList.copyOf(out));
    }
    Map<String, List<String>> namesByAlias = new LinkedHashMap<>();
    p.serverNames().forEach((name, alias) -> namesByAlias.computeIfAbsent(alias, a -> new ArrayList<>()).add(name));
    String def = p.defaultAlias().orElse(null);
    if (def == null && namesByAlias.size() == 1) {
      def = namesByAlias.keySet().iterator().next();
    } else if (def == null && keyAliases.size() == 1) {
      def = keyAliases.get(0);
    } else if (def == null) {
      out.add(CertificateFinding.error("R8314-S-19", "key store", "holds " + keyAliases.size() + " private-key entries "
          + keyAliases + " and no default alias was chosen: name the certificate for clients without SNI with"
          + " defaultAlias(alias)"));
    }
    if (def != null) {
      namesByAlias.putIfAbsent(def, new ArrayList<>());
    }
    ServerCertificateCheck.Builder check = ServerCertificateCheck.builder(p.clock()).warningWindow(p.expiryWarning());
    if (!p.trustAnchors().isEmpty()) {
      check.trustAnchors(p.trustAnchors());
    }
    ServerCertificateCheck checker = check.build();
    List<String> usable = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : namesByAlias.entrySet()) {
      String alias = e.getKey();
      String subject = "key alias \"" + alias + "\"" + (e.getValue().isEmpty() ? " (default)" : " (for "
          + String.join(", ", e.getValue()) + ")");
      List<X509Certificate> chain = keyAliases.contains(alias) ? chain(ks, alias) : null;
      if (chain == null) {
        out.add(CertificateFinding.error("R8314-S-19", subject, (containsAlias(ks, alias)
            ? "is not a private-key entry with an X.509 chain" : "is not in the key store")
            + "; its private-key entries are " + keyAliases + ": correct the alias, or import the server's key and"
            + " chain under it"));
        continue;
      }
      usable.add(alias);
      for (CertificateFinding f : checker.check(chain, e.getValue())) {
        out.add(f.about(subject + ", "));
      }
    }
    return new Setup(def, ImmutableList.copyOf(usable), ImmutableList.copyOf(out));
  }

  private static @Nullable List<X509Certificate> chain(KeyStore ks, String alias) {
    try {
      Certificate[] chain = ks.getCertificateChain(alias);
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : chain == null ? new Certificate[0] : chain) {
        if (!(c instanceof X509Certificate)) {
          return null;
        }
        out.add((X509Certificate) c);
      }
      return out.isEmpty() ? null : out;
    } catch (KeyStoreException e) {
      return null;
    }
  }

  private static boolean containsAlias(KeyStore ks, String alias) {
    try {
      return ks.containsAlias(alias);
    } catch (KeyStoreException e) {
      return false;
    }
  }

  @Override
  protected KeyManager[] engineGetKeyManagers() {
    if (manager == null) {
      throw new IllegalStateException("KeyManagerFactory \"MailTLS\" was not initialised");
    }
    return new KeyManager[] {manager};
  }
}
