package org.mailtls.provider;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.identity.DnsName;
import org.mailtls.policy.identity.IpAddress;

/**
 * The SSLParameters MailTLS puts on every new socket and engine of one context: the policy's
 * protocols and suites in policy order (TLS-03, TLS-20), cipher-suite order honoured, SNI from the
 * connection's host (TLS-32), the server's SNI matcher (TLS-08), groups and schemes (TLS-21,
 * TLS-25). Engine creation is a hot path for servers and many-account clients (issue #8), so what
 * never changes within a context is computed once.
 */
final class PolicyParameters {
  private final Set<String> allowedProtocols;
  private final Set<String> allowedSuites;
  private final @Nullable SNIMatcher sniMatcher;
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


  PolicyParameters(MailTlsPolicy policy, Set<String> allowedProtocols, Set<String> allowedSuites,
      @Nullable SNIMatcher sniMatcher) {
    this.allowedProtocols = allowedProtocols;
    this.allowedSuites = allowedSuites;
    this.sniMatcher = sniMatcher;
    this.extras = EngineExtras.Lists.of(policy);
  }

  EngineExtras.Lists extras() {
    return extras;
  }

  /** As below, for a delegate socket or engine: its supported lists are read once per context. */
  SSLParameters base(SSLParameters p, Supplier<String[]> supportedProtocols,
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
  SSLParameters base(SSLParameters p, String[] availableProtocols, String[] availableSuites,
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
      Optional<SNIServerName> sni = sni(host);
      p.setServerNames(sni.isPresent() ? List.of(sni.get()) : List.of());
    }
    EngineExtras.applyJdk(p, extras);
    return p;
  }

  /** The SNI value for {@code host}, remembered (see {@code sniCache}). */
  Optional<SNIServerName> sni(String host) {
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

  /** The allowed values the engine has, in the policy's order. */
  static String[] intersect(Set<String> allowedInOrder, String[] available) {
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
