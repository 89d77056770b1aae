package org.mailtls.provider;

import com.google.common.collect.ImmutableList;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.IdentityMatch;
import org.mailtls.policy.identity.IdentityMatcher;
import org.mailtls.policy.identity.ReferenceIdentities;
import org.mailtls.policy.tls.ChainFloors;
import org.mailtls.policy.tls.FloorViolation;

/**
 * The ordered checks behind the trust manager, each returning a decision value: context present
 * (fail closed), negotiated version and suite, chain length, PKIX path (R7817-C-02: before any name
 * check), chain floors on the built path, extended key usage, then identity.
 */
final class TrustChecks {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EKU = "2.5.29.37.0";

  private final MailTlsPolicy policy;
  private final @Nullable AccountPolicy account;
  private final PathValidator paths;

  TrustChecks(MailTlsPolicy policy, @Nullable AccountPolicy account, PathValidator paths) {
    this.policy = policy;
    this.account = account;
    this.paths = paths;
  }

  MailTlsPolicy policy() {
    return policy;
  }

  @Nullable AccountPolicy account() {
    return account;
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
    TrustDecision.Refused early = checkCommon(chain, hs, peer, summary, SERVER_AUTH);
    if (early != null) {
      return early;
    }
    Optional<ReferenceIdentities> refs;
    try {
      refs = referencesFor(host, ctx.port());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return refuse("R7817-C-04", peer, "no reference identity can be formed for \"" + host + "\": " + e.getMessage(),
          summary, "connect to the host name (or IP literal) the account was configured with");
    }
    if (refs.isEmpty()) {
      return refuse("R7817-C-04", peer, "host " + host + " is not an endpoint of account " + account.accountId()
          + " " + account.endpoints(), summary,
          "add the endpoint to the account, or connect to one of its endpoints");
    }
    IdentityMatcher matcher = IdentityMatcher.of(account != null ? account.identityPolicy() : policy.identityPolicy());
    IdentityMatch match = matcher.match(refs.get(), chain.get(0));
    if (match instanceof IdentityMatch.NotMatched) {
      return new TrustDecision.Refused("R7817-C-01", peer, match.message(), (IdentityMatch.NotMatched) match,
          ImmutableList.of(), summary, "see the identity message");
    }
    return new TrustDecision.Accepted((IdentityMatch.Matched) match, hs.getProtocol(), hs.getCipherSuite(), summary);
  }

  TrustDecision checkClient(List<X509Certificate> chain, @Nullable ConnectionContext ctx, @Nullable SSLSession hs) {
    String peer = ctx == null ? "(unknown client)" : "client of " + ctx.peer();
    if (chain.size() > policy.maxChainLength()) {
      return tooLong(chain, peer);
    }
    ImmutableList<String> summary = ChainSummary.of(chain);
    if (hs == null) {
      return refuse("R8314-S-16", peer, "no handshake session is available", summary,
          "use server sockets and engines from an SSLContext of the MailTLS provider");
    }
    TrustDecision.Refused early = checkCommon(chain, hs, peer, summary, CLIENT_AUTH);
    return early != null ? early : new TrustDecision.Accepted(null, hs.getProtocol(), hs.getCipherSuite(), summary);
  }

  private Optional<ReferenceIdentities> referencesFor(String host, int port) {
    if (account == null) {
      return Optional.of(ReferenceIdentities.builder()
          .host(host, org.mailtls.policy.identity.HostProvenance.USER_TYPED).emailDomainAsDnsId(false).build());
    }
    Optional<MailEndpoint> endpoint = account.endpointFor(host, port);
    return endpoint.map(account::referencesFor);
  }

  private TrustDecision.@Nullable Refused checkCommon(List<X509Certificate> chain, SSLSession hs, String peer,
      ImmutableList<String> summary, String eku) {
    Optional<String> negotiated = NegotiatedCheck.violation(policy, hs.getProtocol(), hs.getCipherSuite());
    if (negotiated.isPresent()) {
      return refuse("TLS-01", peer, negotiated.get(), summary, "the peer must support TLS 1.2+ with ECDHE and AEAD");
    }
    PKIXCertPathBuilderResult path;
    try {
      path = paths.validate(chain, stapledResponses(hs));
    } catch (CertPathBuilderException e) {
      return refuse("R8314-C-25", peer, "the certificate chain does not validate (RFC 5280): " + rootCause(e), summary,
          "the server must send its full chain to a CA this account trusts, unexpired and unrevoked; the"
              + " account's trust anchors may be missing that CA");
    }
    @SuppressWarnings("unchecked")
    List<X509Certificate> built = (List<X509Certificate>) path.getCertPath().getCertificates();
    TrustAnchor anchor = path.getTrustAnchor();
    ImmutableList<FloorViolation> floors = ChainFloors.check(built,
        anchor.getTrustedCert() != null ? anchor.getTrustedCert().getPublicKey() : anchor.getCAPublicKey());
    if (!floors.isEmpty()) {
      return new TrustDecision.Refused(floors.get(0).rule(), peer, "the validated chain breaks the key or signature floors",
          null, floors, summary, "the certificate must be reissued with RSA 2048+ or P-256+ and SHA-256+ signatures");
    }
    String ekuProblem = checkEku(chain.get(0), eku);
    if (ekuProblem != null) {
      return refuse("R8314-C-25", peer, ekuProblem, summary, "the certificate must be issued for " + (eku.equals(SERVER_AUTH)
          ? "TLS server authentication (serverAuth)" : "TLS client authentication (clientAuth)"));
    }
    return null;
  }

  private static @Nullable String checkEku(X509Certificate leaf, String required) {
    List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return "the extended key usage extension cannot be parsed: " + e.getMessage();
    }
    if (eku == null || eku.contains(required) || eku.contains(ANY_EKU)) {
      return null;
    }
    return "the leaf's extended key usage " + eku + " does not allow " + (required.equals(SERVER_AUTH) ? "serverAuth"
        : "clientAuth") + " (RFC 5280 §4.2.1.12)";
  }

  private static List<byte[]> stapledResponses(SSLSession hs) {
    if (hs instanceof ExtendedSSLSession) {
      try {
        return ((ExtendedSSLSession) hs).getStatusResponses();
      } catch (UnsupportedOperationException e) {
        return List.of();
      }
    }
    return List.of();
  }

  /** Checked first, before any parsing: a hostile chain length costs nothing. */
  private TrustDecision.Refused tooLong(List<X509Certificate> chain, String peer) {
    return refuse("R8314-C-25", peer, "the peer sent " + chain.size() + " certificates; at most "
        + policy.maxChainLength() + " are accepted", ImmutableList.of(), "the peer must send a normal chain");
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
        sb.append(": ").append(t.getMessage());
      }
    }
    return sb.toString();
  }

  private static TrustDecision.Refused refuse(String rule, String peer, String reason, ImmutableList<String> summary,
      String fix) {
    return new TrustDecision.Refused(rule, peer, reason, null, ImmutableList.of(), summary, fix);
  }
}
