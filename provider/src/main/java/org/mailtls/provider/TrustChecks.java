package org.mailtls.provider;

import com.google.common.collect.ImmutableList;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.IdentityMatch;
import org.mailtls.policy.identity.IdentityMatcher;
import org.mailtls.policy.identity.ReferenceIdentities;
import org.mailtls.policy.pin.CertificatePin;
import org.mailtls.policy.pin.PinStore;
import org.mailtls.policy.server.ClientCertificateMapping;
import org.mailtls.policy.server.MappingResult;

/**
 * The ordered checks behind the trust manager, each ending in a decision value: chain length,
 * context present (fail closed), negotiated version and suite, chain (PKIX, floors, EKU), identity;
 * then, for a failure a pin may stand in for, the account's pins (RFC 8314 §5.4): a pinned
 * certificate makes the connection PINNED, which only an account without the minimum
 * confidentiality level accepts (R8314-C-27).
 */
final class TrustChecks {
  private final MailTlsPolicy policy;
  private final @Nullable AccountPolicy account;
  private final PathValidator paths;
  private final ChainValidation chains;
  private final @Nullable PinStore pins;
  private final @Nullable ClientCertificateMapping clientMapping;

  TrustChecks(MailTlsPolicy policy, @Nullable AccountPolicy account, PathValidator paths, @Nullable PinStore pins,
      @Nullable ClientCertificateMapping clientMapping, ValidatedChainCache cache) {
    this.policy = policy;
    this.account = account;
    this.paths = paths;
    this.chains = new ChainValidation(paths, cache);
    this.pins = pins;
    this.clientMapping = clientMapping;
  }

  /** The server's certificate-to-identity mapping; without one no client certificate is requested. */
  @Nullable ClientCertificateMapping clientMapping() {
    return clientMapping;
  }

  MailTlsPolicy policy() {
    return policy;
  }

  @Nullable AccountPolicy account() {
    return account;
  }

  @Nullable PinStore pins() {
    return pins;
  }

  Set<TrustAnchor> anchors() {
    return paths.anchors();
  }

  TrustDecision checkServer(List<X509Certificate> chain, @Nullable ConnectionContext ctx, @Nullable SSLSession hs) {
    String peer = ctx == null ? "(unknown peer)" : ctx.peer();
    if (chain.size() > policy.maxChainLength()) {
      return tooLong(chain, peer);
    }
    ImmutableList<String> summary = ChainSummary.of(chain);
    if (ctx == null || hs == null) {
      return refuse("R7817-C-01", peer, "no " + (ctx == null ? "MailTLS connection context" : "handshake session")
          + " is available, so there is nothing to check the certificate against", summary,
          "use sockets and engines from an SSLContext of the MailTLS provider; the two-argument checkServerTrusted is"
              + " never accepted");
    }
    String host = ctx.host();
    if (host == null) {
      return refuse("R7817-C-01", peer, "the connection has no reference host name", summary,
          "create the engine with createSSLEngine(host, port), or the socket with createSocket(host, port), or give"
              + " the account an endpoint");
    }
    Optional<String> negotiated = NegotiatedCheck.violation(policy, hs.getProtocol(), hs.getCipherSuite());
    if (negotiated.isPresent()) {
      return refuse("TLS-01", peer, negotiated.get(), summary, "the peer must support TLS 1.2+ with ECDHE and AEAD");
    }
    Optional<MailEndpoint> endpoint = account == null ? Optional.empty() : account.endpointFor(host, ctx.port());
    ReferenceIdentities refs;
    try {
      if (account != null && endpoint.isEmpty()) {
        return refuse("R7817-C-04", peer, "host " + host + " is not an endpoint of account " + account.accountId()
            + " " + account.endpoints(), summary, "add the endpoint to the account, or connect to one of its endpoints");
      }
      refs = endpoint.isPresent() ? account.referencesFor(endpoint.get())
          : ReferenceIdentities.builder().host(host, HostProvenance.USER_TYPED).emailDomainAsDnsId(false).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      return refuse("R7817-C-04", peer, "no reference identity can be formed for \"" + host + "\": " + e.getMessage(),
          summary, "connect to the host name (or IP literal) the account was configured with");
    }
    ChainValidation.Outcome c = chains.validate(chain, hs, ChainValidation.SERVER_AUTH);
    IdentityMatch match = c.ok() || c.pinnable()
        ? IdentityMatcher.of(account != null ? account.identityPolicy() : policy.identityPolicy()).match(refs, chain.get(0))
        : null;
    if (c.ok() && match instanceof IdentityMatch.Matched) {
      return TrustDecision.Accepted.verified((IdentityMatch.Matched) match, hs.getProtocol(), hs.getCipherSuite(), summary);
    }
    TrustDecision.Refused failure = !c.ok()
        ? new TrustDecision.Refused(c.rule(), peer, c.reason(), null, c.violations(), summary, c.pinnable()
            ? "the server must send its full chain to a CA this account trusts, unexpired and unrevoked; the account's"
                + " trust anchors may be missing that CA"
            : "the certificate must be reissued with RSA 2048+ or P-256+ and SHA-256+ signatures",
            ImmutableList.copyOf(chain), c.pinnable())
        : new TrustDecision.Refused("R7817-C-01", peer, match.message(), (IdentityMatch.NotMatched) match,
            ImmutableList.of(), summary, "see the identity message", ImmutableList.copyOf(chain), true);
    return failure.pinnable() && endpoint.isPresent() ? tryPin(failure, endpoint.get(), chain, hs, match, summary)
        : failure;
  }

  /** A pin stands in for the chain and name checks only; the floors already passed (RFC 8314 §5.4). */
  private TrustDecision tryPin(TrustDecision.Refused failure, MailEndpoint endpoint, List<X509Certificate> chain,
      SSLSession hs, @Nullable IdentityMatch match, ImmutableList<String> summary) {
    if (pins == null) {
      return failure;
    }
    try {
      pins.refresh();
    } catch (org.mailtls.policy.pin.PinStoreException e) {
      return new TrustDecision.Refused(failure.rule(), failure.peer(), failure.reason() + " (the pin store could not be"
          + " read, so no pin was honoured: " + e.getMessage() + ")", failure.identity(), failure.violations(), summary,
          failure.fix(), failure.presented(), failure.pinnable());
    }
    Optional<CertificatePin> pin = pins.find(account.accountId(), endpoint.normalizedHost(), endpoint.port(),
        endpoint.service(), CertificatePin.fingerprint(chain.get(0)));
    if (pin.isEmpty()) {
      return failure;
    }
    if (account.requiresMinimumConfidentiality()) {
      return new TrustDecision.Refused("R8314-C-27", failure.peer(), "the certificate is pinned for this account ("
          + pin.get() + "), but the account requires the minimum confidentiality level, which a pinned connection"
          + " never meets (RFC 8314 §5.4); the underlying failure: " + failure.reason(), failure.identity(),
          failure.violations(), summary, "get a certificate this account can verify, or (after warning the user) switch"
              + " the account's minimum confidentiality level off", failure.presented(), false);
    }
    IdentityMatch.Matched matched = match instanceof IdentityMatch.Matched ? (IdentityMatch.Matched) match : null;
    return new TrustDecision.Accepted(matched, ConfidentialityLevel.PINNED, pin.get(), null, hs.getProtocol(),
        hs.getCipherSuite(), summary);
  }

  /**
   * The decision for a resumed client session, on which the trust manager did not run. The whole
   * server check runs again on the session's peer chain (path, expiry, floors and identity against
   * this connection's host), so resumption never skips a check; PINNED sessions are never resumed.
   */
  TrustDecision recheckResumed(SSLSession session, @Nullable ConnectionContext ctx) {
    String peer = ctx == null ? "(unknown peer)" : ctx.peer();
    List<X509Certificate> chain = new java.util.ArrayList<>();
    try {
      for (java.security.cert.Certificate c : session.getPeerCertificates()) {
        chain.add((X509Certificate) c);
      }
    } catch (javax.net.ssl.SSLPeerUnverifiedException | ClassCastException e) {
      return refuse("R7817-C-01", peer, "the resumed session has no peer certificate chain", ImmutableList.of(),
          "reconnect without resumption");
    }
    if (ctx == null || ctx.host() == null || chain.isEmpty()) {
      return refuse("R7817-C-01", peer, "a resumed session without a MailTLS connection context or host",
          ChainSummary.of(chain), "use sockets and engines from a MailTLS context");
    }
    return checkServer(chain, ctx, session);
  }

  TrustDecision checkClient(List<X509Certificate> chain, @Nullable ConnectionContext ctx, @Nullable SSLSession hs) {
    String peer = clientPeer(hs);
    if (chain.size() > policy.maxChainLength()) {
      return tooLong(chain, peer);
    }
    ImmutableList<String> summary = ChainSummary.of(chain);
    if (hs == null) {
      return refuse("R8314-S-16", peer, "no handshake session is available", summary,
          "use server sockets and engines from an SSLContext of the MailTLS provider");
    }
    Optional<String> negotiated = NegotiatedCheck.violation(policy, hs.getProtocol(), hs.getCipherSuite());
    if (negotiated.isPresent()) {
      return refuse("TLS-01", peer, negotiated.get(), summary, "the peer must support TLS 1.2+ with ECDHE and AEAD");
    }
    ChainValidation.Outcome c = chains.validate(chain, hs, ChainValidation.CLIENT_AUTH);
    if (!c.ok()) {
      return new TrustDecision.Refused(c.rule(), peer, c.reason(), null, c.violations(), summary,
          "the client certificate must chain to a CA this server trusts", ImmutableList.of(), false);
    }
    if (clientMapping == null) {
      return refuse("R8314-S-16", peer, "a client certificate arrived, but this server has no certificate-to-identity"
          + " mapping, so it never requests one", summary, "configure MailTlsParameters.clientCertificateMapping(...)");
    }
    MappingResult mapped = clientMapping.map(chain.get(0));
    if (mapped instanceof MappingResult.Unmapped) {
      return refuse("R8314-S-16", peer, "the client certificate maps to no identity (" + clientMapping.describe() + "): "
          + ((MappingResult.Unmapped) mapped).reason(), summary,
          "add the certificate to the mapping, or log in with a password instead");
    }
    return TrustDecision.Accepted.verifiedClient(((MappingResult.Mapped) mapped).identity(), hs.getProtocol(),
        hs.getCipherSuite(), summary);
  }

  /**
   * The client as messages name it: its address from the handshake session (a server connection's
   * context holds no host; the server is the one with a name).
   */
  static String clientPeer(@Nullable SSLSession hs) {
    String host = hs == null ? null : hs.getPeerHost();
    return host == null ? "a client (address unknown)" : "the client " + host + ":" + hs.getPeerPort();
  }

  /** Checked first, before any parsing: a hostile chain length costs nothing. */
  private TrustDecision.Refused tooLong(List<X509Certificate> chain, String peer) {
    return refuse("R8314-C-25", peer, "the peer sent " + chain.size() + " certificates; at most "
        + policy.maxChainLength() + " are accepted", ImmutableList.of(), "the peer must send a normal chain");
  }

  private static TrustDecision.Refused refuse(String rule, String peer, String reason, ImmutableList<String> summary,
      String fix) {
    return new TrustDecision.Refused(rule, peer, reason, null, ImmutableList.of(), summary, fix, ImmutableList.of(),
        false);
  }
}
