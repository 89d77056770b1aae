package org.mailtls.provider;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

  private final boolean clientCertificates;
  private final PolicyParameters parameters;

  PolicyConnectionGuard(TrustChecks checks, ConnectionRegistry registry, boolean hasServerKey,
      @Nullable SNIMatcher sniMatcher) {
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
    this.parameters = new PolicyParameters(policy, allowedProtocols, allowedSuites, sniMatcher);
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
    inner.setSSLParameters(parameters.base(inner.getSSLParameters(), inner::getSupportedProtocols,
        inner::getSupportedCipherSuites, host));
    EngineExtras.apply(inner, parameters.extras());
    registry.register(inner, host, port);
  }

  @Override
  public void prepareServerSocket(SSLSocket inner) {
    requireServerKey();
    inner.setSSLParameters(serverParameters(parameters.base(inner.getSSLParameters(), inner::getSupportedProtocols,
        inner::getSupportedCipherSuites, null)));
    EngineExtras.apply(inner, parameters.extras());
    registry.register(inner, null, 0);
  }

  @Override
  public void prepareServerSocket(SSLServerSocket inner) {
    requireServerKey();
    inner.setSSLParameters(serverParameters(parameters.base(inner.getSSLParameters(), inner::getSupportedProtocols,
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
    inner.setSSLParameters(parameters.base(inner.getSSLParameters(), inner::getSupportedProtocols,
        inner::getSupportedCipherSuites, h));
    EngineExtras.apply(inner, parameters.extras());
    registry.register(inner, h, p);
  }

  @Override
  public void bindHost(Object inner, String host, int port) {
    registry.contextOf(inner).bind(host, port);
    Optional<SNIServerName> sni = parameters.sni(host);
    if (sni.isPresent()) {
      if (inner instanceof SSLSocket) {
        SSLSocket s = (SSLSocket) inner;
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(sni.get()));
        s.setSSLParameters(p);
        EngineExtras.apply(s, parameters.extras());
      } else if (inner instanceof SSLEngine) {
        SSLEngine e = (SSLEngine) inner;
        SSLParameters p = e.getSSLParameters();
        p.setServerNames(List.of(sni.get()));
        e.setSSLParameters(p);
        EngineExtras.apply(e, parameters.extras());
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
        EngineExtras.apply(e, parameters.extras());
      } else if (inner instanceof SSLSocket) {
        SSLSocket s = (SSLSocket) inner;
        s.setSSLParameters(serverParameters(s.getSSLParameters()));
        EngineExtras.apply(s, parameters.extras());
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
    EngineExtras.apply(inner, parameters.extras());
  }

  @Override
  public String[] supportedProtocols(String[] delegateSupported) {
    return PolicyParameters.intersect(allowedProtocols, delegateSupported);
  }

  @Override
  public String[] supportedCipherSuites(String[] delegateSupported) {
    return PolicyParameters.intersect(allowedSuites, delegateSupported);
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

  /** The parameter composition of this context (MailTlsContextSpi's default and supported parameters). */
  PolicyParameters parameters() {
    return parameters;
  }

  private void requireServerKey() {
    if (!hasServerKey) {
      throw new IllegalStateException("this MailTLS context has no server certificate: initialise it with key"
          + " managers from KeyManagerFactory.getInstance(\"MailTLS\") over a key store holding the server's key");
    }
  }

}
