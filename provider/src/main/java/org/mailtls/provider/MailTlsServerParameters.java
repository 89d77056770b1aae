package org.mailtls.provider;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.ManagerFactoryParameters;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.identity.DnsName;
import org.mailtls.policy.server.CertificateFinding;
import org.mailtls.policy.server.ServerCertificateCheck;

/**
 * The server's keys for {@code KeyManagerFactory.getInstance("MailTLS").init(parameters)}: a key
 * store, which certificate serves which mail domain or host name (chosen by SNI), and the start-up
 * check of those certificates.
 *
 * <p>Why: a server hosting several mail domains may give each its own certificate, chosen by the
 * name the client sends with SNI (R7817-MSP-05 option 3, R8314-S-19). Clients that send no SNI get
 * the default certificate. With {@link Builder#strictSni(boolean)} (the default) a name configured
 * nowhere is answered with the {@code unrecognized_name} alert (RFC 9325 §3.7, TLS-08), so map both
 * the hosted domains and the server's real host name (what clients that do not use RFC 6186
 * discovery send). At {@code init} every certificate is checked (R8314-S-18): dates, names, floors,
 * and the chain when {@link Builder#trustAnchors(KeyStore)} was given; ERROR findings refuse the
 * configuration, WARNING findings are logged to the {@code org.mailtls.provider.server} logger.
 *
 * <pre>{@code
 * kmf.init(MailTlsServerParameters.builder(keyStore, password)
 *     .serverName("mail.example.net", "net")
 *     .serverName("mail.example.org", "org")
 *     .serverName("imap.hoster.example", "net")
 *     .defaultAlias("net")
 *     .trustAnchors(caStore)
 *     .build());
 * }</pre>
 *
 * <p>The private keys are decrypted once at {@code init} and held in memory. Immutable except for the
 * key store itself, which is read at {@code init}; the password is copied and handed out only as
 * copies.
 */
public final class MailTlsServerParameters implements ManagerFactoryParameters {
  private final KeyStore keyStore;
  private final char[] password;
  private final ImmutableMap<String, String> serverNames;
  private final @Nullable String defaultAlias;
  private final boolean strictSni;
  private final ImmutableSet<TrustAnchor> trustAnchors;
  private final Clock clock;
  private final Duration expiryWarning;

  private MailTlsServerParameters(Builder b) {
    this.keyStore = b.keyStore;
    this.password = b.password.clone();
    this.serverNames = ImmutableMap.copyOf(b.serverNames);
    this.defaultAlias = b.defaultAlias;
    this.strictSni = b.strictSni;
    this.trustAnchors = b.trustAnchors;
    this.clock = b.clock;
    this.expiryWarning = b.expiryWarning;
  }

  /** Starts a builder over {@code keyStore}, whose key entries are protected by {@code password}. */
  public static Builder builder(KeyStore keyStore, char[] password) {
    return new Builder(requireNonNull(keyStore, "keyStore"), requireNonNull(password, "password"));
  }

  /** SNI host names (lower-case A-labels) to key aliases, in the order they were added. */
  public Map<String, String> serverNames() {
    return serverNames;
  }

  /** The alias for clients that send no SNI, when chosen explicitly. */
  public Optional<String> defaultAlias() {
    return Optional.ofNullable(defaultAlias);
  }

  /** Whether an SNI name configured nowhere is refused with {@code unrecognized_name} (TLS-08). */
  public boolean strictSni() {
    return strictSni;
  }

  /** The anchors for the chain-completeness check; empty when that check is skipped. */
  public Set<TrustAnchor> trustAnchors() {
    return trustAnchors;
  }

  /** The clock certificate dates are judged by. */
  public Clock clock() {
    return clock;
  }

  /** How long before expiry a certificate earns a WARNING. */
  public Duration expiryWarning() {
    return expiryWarning;
  }

  /**
   * Runs the start-up check now, without decrypting any key, and returns every finding: key aliases
   * that are missing or not private keys, and each certificate's {@link ServerCertificateCheck}
   * findings (each subject starts with the key alias). {@code init} refuses the parameters when one
   * is an ERROR; callers can run it again, for example daily, to see WARNINGs about expiry.
   */
  public List<CertificateFinding> certificateFindings() {
    return MailTlsKeyManagerFactorySpi.resolve(this).findings();
  }

  KeyStore keyStore() {
    return keyStore;
  }

  /** A copy of the password; the caller clears it. */
  char[] password() {
    return password.clone();
  }

  @Override
  public String toString() {
    return "MailTlsServerParameters{serverNames=" + serverNames + ", defaultAlias=" + defaultAlias + ", strictSni="
        + strictSni + ", trustAnchors=" + trustAnchors.size() + ", expiryWarning=" + expiryWarning + "}";
  }

  /** Builder; setters validate their argument, {@link #build()} the combination. */
  public static final class Builder {
    private final KeyStore keyStore;
    private final char[] password;
    private final Map<String, String> serverNames = new LinkedHashMap<>();
    private @Nullable String defaultAlias;
    private boolean strictSni = true;
    private ImmutableSet<TrustAnchor> trustAnchors = ImmutableSet.of();
    private Clock clock = Clock.systemUTC();
    private Duration expiryWarning = ServerCertificateCheck.DEFAULT_WARNING_WINDOW;

    private Builder(KeyStore keyStore, char[] password) {
      this.keyStore = keyStore;
      this.password = password.clone();
    }

    /**
     * Serves the key entry {@code alias} to clients that request {@code name} with SNI. The name is a
     * host name (IDNs are converted to A-labels, case and a trailing dot do not matter); it must be
     * covered by that entry's certificate, which {@code init} checks.
     *
     * @throws IllegalArgumentException for a wildcard, an IP literal or an invalid name, a blank
     *     alias, or a name mapped twice
     */
    @CanIgnoreReturnValue
    public Builder serverName(String name, String alias) {
      requireNonNull(name, "name");
      requireNonNull(alias, "alias");
      if (name.contains("*")) {
        throw new IllegalArgumentException("\"" + name + "\" is a wildcard; SNI carries one exact host name, so map"
            + " each name clients use (a wildcard certificate may still serve them all)");
      }
      String ascii;
      try {
        ascii = DnsName.parse(name).ascii();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("server name \"" + name + "\" cannot be an SNI name: " + e.getMessage()
            + " (SNI carries DNS host names only, RFC 6066 §3)", e);
      }
      checkAlias(alias);
      String previous = serverNames.putIfAbsent(ascii, alias);
      if (previous != null) {
        throw new IllegalArgumentException("server name " + ascii + " is already mapped to alias \"" + previous
            + "\"; one name is served by one certificate");
      }
      return this;
    }

    /**
     * The key entry for clients that send no SNI (and, without strict SNI, for unknown names).
     * Required when the names map to more than one alias.
     */
    @CanIgnoreReturnValue
    public Builder defaultAlias(String alias) {
      checkAlias(requireNonNull(alias, "alias"));
      this.defaultAlias = alias;
      return this;
    }

    /**
     * On (the default): an SNI name mapped nowhere is refused with {@code unrecognized_name} (TLS-08).
     * Off: such a client gets the default certificate.
     */
    @CanIgnoreReturnValue
    public Builder strictSni(boolean strict) {
      this.strictSni = strict;
      return this;
    }

    /**
     * Trust anchors for the start-up chain check: the trusted-certificate entries of {@code store}
     * (what clients are expected to trust). Without them the chain check is skipped.
     *
     * @throws IllegalArgumentException if the store holds no trusted-certificate entry
     */
    @CanIgnoreReturnValue
    public Builder trustAnchors(KeyStore store) {
      requireNonNull(store, "store");
      try {
        this.trustAnchors = ImmutableSet.copyOf(TrustAnchors.from(store));
      } catch (KeyStoreException e) {
        throw new IllegalArgumentException("no trust anchors for the start-up check: " + e.getMessage(), e);
      }
      return this;
    }

    /** The clock for the start-up check (default the system UTC clock; tests inject a fixed one). */
    @CanIgnoreReturnValue
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A certificate expiring within this window earns a WARNING (default 30 days).
     *
     * @throws IllegalArgumentException if negative
     */
    @CanIgnoreReturnValue
    public Builder expiryWarning(Duration window) {
      if (requireNonNull(window, "window").isNegative()) {
        throw new IllegalArgumentException("the expiry warning window must not be negative: " + window);
      }
      this.expiryWarning = window;
      return this;
    }

    /**
     * Builds the parameters; the key store is read only at {@code init}.
     *
     * @throws IllegalStateException if strict SNI is on but no name is mapped (every client sending
     *     SNI would be refused), or the names map to several aliases and no default alias was chosen
     */
    public MailTlsServerParameters build() {
      if (strictSni && serverNames.isEmpty()) {
        throw new IllegalStateException("strict SNI is on but no server name is mapped, so every client that sends"
            + " SNI would get unrecognized_name: map the server's host names with serverName(name, alias), or turn"
            + " strictSni(false)");
      }
      Set<String> aliases = new LinkedHashSet<>(serverNames.values());
      if (defaultAlias == null && aliases.size() > 1) {
        throw new IllegalStateException("the server names map to " + aliases.size() + " key aliases " + aliases
            + "; choose the certificate for clients that send no SNI with defaultAlias(alias)");
      }
      return new MailTlsServerParameters(this);
    }

    private static void checkAlias(String alias) {
      if (alias.isBlank()) {
        throw new IllegalArgumentException("a key alias must not be blank");
      }
    }
  }
}
