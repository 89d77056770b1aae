package org.mailtls.policy.identity;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;
import java.security.cert.X509Certificate;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.identity.ReferenceIdentity.DnsId;
import org.mailtls.policy.identity.ReferenceIdentity.IpId;
import org.mailtls.policy.identity.ReferenceIdentity.SrvId;

/**
 * Decides whether a server certificate proves one of the identities a mail client expects: RFC
 * 9525 §6.2–6.5 with RFC 7817 §3's mail rules (requirements.md B.5).
 *
 * <ul>
 *   <li>References are tried in order; the first presented identifier that matches wins (SI-04).
 *   <li>DNS-ID: equal A-label strings after ASCII lower-casing (SI-06, SI-07), or a wildcard
 *       {@code *.rest} covering exactly one label in front of {@code rest} (SI-08).
 *   <li>SRV-ID: service and domain of one reference against service and domain of one SRVName;
 *       never mixed across references (SI-10, SRV-06). No wildcards (SRV-08).
 *   <li>IP-ID: octet equality (SI-09); a dNSName spelling an address never matches.
 *   <li>CN-ID: only with {@link IdentityPolicy#legacyCommonName()} and only when the certificate
 *       has no subjectAltName identifier of a supported type (SI-15, SI-20, R7817-C-09).
 *   <li>URI and rfc822Name entries never match (R7817-C-08).
 * </ul>
 *
 * <p>This class checks names only. It must run after the chain was validated (R7817-C-02); the
 * provider's trust manager does that ordering.
 */
@Immutable
public final class IdentityMatcher {
  private final IdentityPolicy policy;

  private IdentityMatcher(IdentityPolicy policy) {
    this.policy = policy;
  }

  /** A matcher for the given policy. */
  public static IdentityMatcher of(IdentityPolicy policy) {
    return new IdentityMatcher(requireNonNull(policy, "policy"));
  }

  /** A matcher for {@link IdentityPolicy#strict()}. */
  public static IdentityMatcher strict() {
    return new IdentityMatcher(IdentityPolicy.strict());
  }

  /** The policy in force. */
  public IdentityPolicy policy() {
    return policy;
  }

  /** Parses the leaf (up to the policy's entry cap) and matches it. Never throws for a hostile certificate. */
  public IdentityMatch match(ReferenceIdentities references, X509Certificate leaf) {
    return match(references, PresentedIdentifiers.from(leaf, policy.maxSubjectAltNames()));
  }

  /** Matches already-parsed identifiers. */
  public IdentityMatch match(ReferenceIdentities references, PresentedIdentifiers presented) {
    for (ReferenceIdentity ref : references.all()) {
      IdentityMatch.Matched m = matchOne(ref, presented);
      if (m != null) {
        return m;
      }
    }
    if (policy.legacyCommonName() && !presented.hasSubjectAltNameIdentifier()) {
      for (DnsId ref : references.dnsIds()) {
        for (PresentedIdentifier.Cn cn : presented.commonNames()) {
          if (dnsMatches(ref.name().ascii(), cn.name(), cn.wildcard())) {
            return new IdentityMatch.Matched(ref, cn, MatchKind.LEGACY_COMMON_NAME);
          }
        }
      }
    }
    return new IdentityMatch.NotMatched(references, presented, policy);
  }

  private IdentityMatch.@Nullable Matched matchOne(ReferenceIdentity ref, PresentedIdentifiers presented) {
    for (PresentedIdentifier p : presented.subjectAltNames()) {
      if (ref instanceof DnsId && p instanceof PresentedIdentifier.Dns) {
        PresentedIdentifier.Dns d = (PresentedIdentifier.Dns) p;
        if (dnsMatches(((DnsId) ref).name().ascii(), d.name(), d.wildcard())) {
          return new IdentityMatch.Matched(ref, p, d.wildcard() ? MatchKind.DNS_WILDCARD : MatchKind.DNS_EXACT);
        }
      } else if (ref instanceof SrvId && p instanceof PresentedIdentifier.Srv) {
        MatchKind kind = srvMatch((SrvId) ref, (PresentedIdentifier.Srv) p);
        if (kind != null) {
          return new IdentityMatch.Matched(ref, p, kind);
        }
      } else if (ref instanceof IpId && p instanceof PresentedIdentifier.Ip) {
        if (((IpId) ref).address().equals(((PresentedIdentifier.Ip) p).address())) {
          return new IdentityMatch.Matched(ref, p, MatchKind.IP);
        }
      }
    }
    return null;
  }

  private @Nullable MatchKind srvMatch(SrvId ref, PresentedIdentifier.Srv p) {
    if (!ref.domain().ascii().equals(p.domain())) {
      return null;
    }
    if (ref.service().label().equals(p.service())) {
      return MatchKind.SRV;
    }
    if (policy.srvServiceBundles() && ref.service().bundlePartner().label().equals(p.service())) {
      return MatchKind.SRV_BUNDLE;
    }
    return null;
  }

  /**
   * Compares a reference A-label name with a presented name, both lower case: equality, or for a
   * wildcard {@code *.rest}, exactly one non-empty label in front of {@code rest} (SI-08).
   */
  static boolean dnsMatches(String reference, String presented, boolean wildcard) {
    if (!wildcard) {
      return reference.equals(presented);
    }
    int dot = reference.indexOf('.');
    return dot > 0 && reference.regionMatches(dot + 1, presented, 2, presented.length() - 2)
        && reference.length() - dot - 1 == presented.length() - 2;
  }
}
