package org.mailtls.provider;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.identity.DnsName;
import org.mailtls.policy.identity.IpAddress;
import org.mailtls.policy.tls.CipherSuites;
import org.mailtls.policy.tls.TlsVersion;

/**
 * The {@link ConnectionGuard} of one initialised MailTLS context: applies the policy's versions,
 * suites, groups and schemes to every delegate socket and engine, sets SNI from the captured host
 * (RFC 9325 §3.7, TLS-32: A-label, no trailing dot, never an IP literal), records the host for the
 * trust manager, and refuses lowering attempts with the rule's name.
 */
final class PolicyConnectionGuard implements ConnectionGuard {
  private final MailTlsPolicy policy;
  private final @Nullable AccountPolicy account;
  private final ConnectionRegistry registry;
  private final HandshakeCompletion completion;
  private final boolean hasServerKey;
  private final Set<String> allowedProtocols;
  private final Set<String> allowedSuites;

  private final @Nullable SNIMatcher sniMatcher;
  private final boolean clientCertificates;
  private final EngineExtras.Lists extras;
  /**
   * Hosts this context connected to, with their SNI value: a client talks to a few hosts all day,
   * and IDNA processing (twice: ours, then the JDK's in SNIHostName) was a tenth of the cost of
   * creating an engine. Bounded; the values are immutable.
   */
  private final Cache<String, Optional<SNIServerName>> sniCache = CacheBuilder.newBuilder().maximumSize(256).build();
  /**
   * The policy's protocols and suites that the delegate supports, in policy order, computed from the
   * first delegate seen: every delegate of this context comes from the same inner SSLContext, so
   * the answer never changes, and recomputing it (copying and hashing the engine's hundreds of
   * supported suites) was most of the cost of creating an engine.
   */
  private volatile String @Nullable [] enabledProtocols;
  private volatile String @Nullable [] enabledSuites;

  PolicyConnectionGuard(TrustChecks checks, ConnectionRegistry registry, boolean hasServerKey,
      @Nullable SNIMatcher sniMatcher) {
    this.sniMatcher = sniMatcher;
    this.clientCertificates = checks.clientMapping() != null;
    this.policy = checks.policy();
    this.account = checks.account();
    this.registry = registry;
    this.completion = new HandshakeCompletion(checks);
    this.hasServerKey = hasServerKey;
    List<String> protocols = new ArrayList<>(Arrays.asList(policy.protocolNames()));
    if (account != null && account.clientCertificate().map(c -> c.tls13Required()).orElse(false)) {
      // TLS 1.2 sends the client certificate in the clear (RFC 8314 §8, R8314-C-36).
      protocols.retainAll(List.of(TlsVersion.TLS_1_3.jsseName()));
      if (protocols.isEmpty()) {
        throw new IllegalStateException("account " + account.accountId() + " requires TLS 1.3 for its client"
            + " certificate, but the policy does not enable TLS 1.3");
      }
    }
    this.allowedProtocols = new LinkedHashSet<>(protocols);
    this.allowedSuites = new LinkedHashSet<>(policy.cipherSuites());
    this.extras = EngineExtras.Lists.of(policy);
  }

  ConnectionRegistry registry() {
    return registry;
  }

  boolean hasServerKey() {
    return hasServerKey;
  }

  @Override
  public void prepareClientSocket(SSLSocket inner, @Nullable String host, int port) {
    inner.setUseClientMode(true);
    inner.setSSLParameters(baseParameters(inner.getSSLParameters(), inner::getSupportedProtocols,
        inner::getSupportedCipherSuites, host));
    EngineExtras.apply(inner, extras);
    registry.register(inner, host, port);
  }

  @Override
  public void prepareServerSocket(SSLSocket inner) {
    requireServerKey();
    inner.setSSLParameters(serverParameters(baseParameters(inner.getSSLParameters(), inner::getSupportedProtocols,
        inner::getSupportedCipherSuites, null)));
    EngineExtras.apply(inner, extras);
    registry.register(inner, null, 0);
  }

  @Override
  public void prepareServerSocket(SSLServerSocket inner) {
    requireServerKey();
    inner.setSSLParameters(serverParameters(baseParameters(inner.getSSLParameters(), inner::getSupportedProtocols,
        inner::getSupportedCipherSuites, null)));
  }

  /**
   * Server-only settings: client certificates are requested (not required: password login stays
   * possible) exactly when a mapping is configured (R8314-S-16).
   */
  private SSLParameters serverParameters(SSLParameters p) {
    p.setWantClientAuth(clientCertificates);
    return p;
  }

  @Override
  public void prepareEngine(SSLEngine inner, @Nullable String host, int port) {
    String h = host;
    int p = port;
    if (h == null && account != null && account.endpoints().size() == 1) {
      MailEndpoint only = account.endpoints().get(0);
      h = only.host();
      p = only.port();
    }
    inner.setSSLParameters(baseParameters(inner.getSSLParameters(), inner::getSupportedProtocols,
        inner::getSupportedCipherSuites, h));
    EngineExtras.apply(inner, extras);
    registry.register(inner, h, p);
  }

  @Override
  public void bindHost(Object inner, String host, int port) {
    registry.contextOf(inner).bind(host, port);
    Optional<SNIServerName> sni = sniForCached(host);
    if (sni.isPresent()) {
      if (inner instanceof SSLSocket) {
        SSLSocket s = (SSLSocket) inner;
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(sni.get()));
        s.setSSLParameters(p);
        EngineExtras.apply(s, extras);
      } else if (inner instanceof SSLEngine) {
        SSLEngine e = (SSLEngine) inner;
        SSLParameters p = e.getSSLParameters();
        p.setServerNames(List.of(sni.get()));
        e.setSSLParameters(p);
        EngineExtras.apply(e, extras);
      }
    }
  }

  @Override
  public void modeChanged(Object inner, boolean clientMode) {
    if (!clientMode) {
      requireServerKey();
      if (inner instanceof SSLEngine) {
        SSLEngine e = (SSLEngine) inner;
        e.setSSLParameters(serverParameters(e.getSSLParameters()));
        EngineExtras.apply(e, extras);
      } else if (inner instanceof SSLSocket) {
        SSLSocket s = (SSLSocket) inner;
        s.setSSLParameters(serverParameters(s.getSSLParameters()));
        EngineExtras.apply(s, extras);
      }
    }
  }

  @Override
  public @Nullable GroupSniffer sniffer(Object inner) {
    ConnectionContext ctx = registry.find(inner);
    return ctx == null ? null : ctx.sniffer();
  }

  @Override
  public void checkClientAuthRequest() {
    if (!clientCertificates) {
      throw new IllegalArgumentException("MailTLS requests client certificates only when a certificate-to-identity"
          + " mapping is configured (RFC 8314 §4.2, R8314-S-16): set MailTlsParameters.clientCertificateMapping(...)");
    }
  }

  @Override
  public String[] checkEnabledProtocols(String[] requested) {
    if (requested == null || requested.length == 0) {
      throw new IllegalArgumentException("at least one protocol must be enabled; allowed: " + allowedProtocols);
    }
    for (String p : requested) {
      if (!allowedProtocols.contains(p)) {
        Optional<TlsVersion> v = p == null ? Optional.empty() : TlsVersion.fromJsseName(p);
        String why = v.isPresent() && !v.get().isAtLeast(TlsVersion.TLS_1_2)
            ? "TLS 1.0/1.1 and SSL are forbidden (TLS-01, RFC 8996)" : "not enabled by the MailTLS policy";
        throw new IllegalArgumentException("MailTLS refuses to enable protocol " + p + ": " + why + "; allowed: "
            + allowedProtocols);
      }
    }
    return requested.clone();
  }

  @Override
  public String[] checkEnabledCipherSuites(String[] requested) {
    if (requested == null || requested.length == 0) {
      throw new IllegalArgumentException("at least one cipher suite must be enabled; allowed: " + allowedSuites);
    }
    for (String s : requested) {
      if (!allowedSuites.contains(s)) {
        String why = s == null ? "null suite" : CipherSuites.whyRefused(s).orElse(s + ": not enabled by this policy");
        throw new IllegalArgumentException("MailTLS refuses to enable cipher suite " + why);
      }
    }
    return requested.clone();
  }

  @Override
  public SSLParameters checkParameters(SSLParameters requested) {
    if (requested.getNeedClientAuth() || requested.getWantClientAuth()) {
      checkClientAuthRequest();
    }
    if (requested.getProtocols() != null) {
      checkEnabledProtocols(requested.getProtocols());
    }
    if (requested.getCipherSuites() != null) {
      checkEnabledCipherSuites(requested.getCipherSuites());
    }
    return requested;
  }

  @Override
  public void reapplyExtras(Object inner) {
    EngineExtras.apply(inner, extras);
  }

  @Override
  public String[] supportedProtocols(String[] delegateSupported) {
    return intersect(allowedProtocols, delegateSupported);
  }

  @Override
  public String[] supportedCipherSuites(String[] delegateSupported) {
    return intersect(allowedSuites, delegateSupported);
  }

  @Override
  public void checkNegotiated(Object inner, SSLSession session) throws SSLHandshakeException {
    Optional<String> v = NegotiatedCheck.violation(policy, session.getProtocol(), session.getCipherSuite());
    if (v.isPresent()) {
      throw new SSLHandshakeException("MailTLS: " + v.get());
    }
    completion.settle(registry.find(inner), isClient(inner), session);
  }

  private static boolean isClient(Object inner) {
    if (inner instanceof SSLSocket) {
      return ((SSLSocket) inner).getUseClientMode();
    }
    return inner instanceof SSLEngine && ((SSLEngine) inner).getUseClientMode();
  }

  /** The parameters MailTLS puts on every new socket and engine. */
  /** As below, for a delegate socket or engine: its supported lists are read once per context. */
  SSLParameters baseParameters(SSLParameters p, Supplier<String[]> supportedProtocols,
      Supplier<String[]> supportedSuites, @Nullable String host) {
    String[] protocols = enabledProtocols;
    String[] suites = enabledSuites;
    if (protocols == null || suites == null) {
      protocols = checkedIntersection(allowedProtocols, supportedProtocols.get(), "protocols");
      suites = checkedIntersection(allowedSuites, supportedSuites.get(), "cipher suites");
      enabledProtocols = protocols;
      enabledSuites = suites;
    }
    return withPolicy(p, protocols.clone(), suites.clone(), host);
  }

  /** The policy applied to {@code p}, enabling the policy's protocols and suites among the given ones. */
  SSLParameters baseParameters(SSLParameters p, String[] availableProtocols, String[] availableSuites,
      @Nullable String host) {
    return withPolicy(p, checkedIntersection(allowedProtocols, availableProtocols, "protocols"),
        checkedIntersection(allowedSuites, availableSuites, "cipher suites"), host);
  }

  private static String[] checkedIntersection(Set<String> allowed, String[] available, String what) {
    String[] out = intersect(allowed, available);
    if (out.length == 0) {
      throw new IllegalStateException("the JSSE engine supports none of the policy's " + what + " " + allowed);
    }
    return out;
  }

  private SSLParameters withPolicy(SSLParameters p, String[] protocols, String[] suites, @Nullable String host) {
    p.setProtocols(protocols);
    p.setCipherSuites(suites);
    p.setUseCipherSuitesOrder(true);
    if (sniMatcher != null) {
      // Server mode only: an SNI name this server does not serve gets unrecognized_name (TLS-08).
      p.setSNIMatchers(List.of(sniMatcher));
    }
    if (host != null) {
      Optional<SNIServerName> sni = sniForCached(host);
      p.setServerNames(sni.isPresent() ? List.of(sni.get()) : List.of());
    }
    EngineExtras.applyJdk(p, extras);
    return p;
  }

  private Optional<SNIServerName> sniForCached(String host) {
    Optional<SNIServerName> sni = sniCache.getIfPresent(host);
    if (sni == null) {
      sni = sniFor(host);
      sniCache.put(host, sni);
    }
    return sni;
  }

  /** SNI carries DNS names only, as A-labels without a trailing dot (TLS-32, SI-18). */
  static Optional<SNIServerName> sniFor(String host) {
    if (IpAddress.tryParse(host).isPresent()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new SNIHostName(DnsName.parse(host).ascii()));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the trust manager refuses such a host with the reason
    }
  }

  private void requireServerKey() {
    if (!hasServerKey) {
      throw new IllegalStateException("this MailTLS context has no server certificate: initialise it with key"
          + " managers from KeyManagerFactory.getInstance(\"MailTLS\") over a key store holding the server's key");
    }
  }

  private static String[] intersect(Set<String> allowedInOrder, String[] available) {
    Set<String> have = new java.util.HashSet<>(Arrays.asList(available));
    List<String> out = new ArrayList<>();
    for (String a : allowedInOrder) {
      if (have.contains(a)) {
        out.add(a);
      }
    }
    return out.toArray(String[]::new);
  }
}
