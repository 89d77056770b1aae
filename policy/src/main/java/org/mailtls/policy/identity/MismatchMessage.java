package org.mailtls.policy.identity;

import org.jspecify.annotations.Nullable;
import org.mailtls.policy.identity.ReferenceIdentity.DnsId;

/**
 * Renders an {@link IdentityMatch.NotMatched} in the OkHttp pinning-failure style: what was
 * expected, what was presented, what was ignored and why, and what to do.
 */
final class MismatchMessage {
  /** Most presented or ignored entries listed in one message. */
  static final int MAX_LINES = 50;

  private MismatchMessage() {}

  static String render(IdentityMatch.NotMatched m) {
    PresentedIdentifiers p = m.presented();
    StringBuilder sb = new StringBuilder(512);
    sb.append("server certificate does not match any reference identity (RFC 7817 §3, RFC 9525 §6)");
    sb.append("\n  expected (reference identities):");
    for (ReferenceIdentity r : m.references().all()) {
      sb.append("\n    ").append(r.describe());
    }
    sb.append("\n  presented (subjectAltName):");
    if (!p.hasSubjectAltName()) {
      sb.append("\n    none: the certificate has no subjectAltName extension");
    } else if (p.subjectAltNameError().isPresent()) {
      sb.append("\n    unreadable: ").append(p.subjectAltNameError().get());
    } else if (p.subjectAltNames().isEmpty()) {
      sb.append("\n    no usable identifier");
    }
    appendCapped(sb, p.subjectAltNames(), "presented identifiers");
    if (p.truncated()) {
      sb.append("\n    (only the first ").append(p.examinedEntryCount()).append(" of ")
          .append(p.subjectAltNameEntryCount()).append(" entries were examined)");
    }
    for (PresentedIdentifier.Cn cn : p.commonNames()) {
      sb.append("\n    ").append(cn).append(commonNameNote(m));
    }
    if (!p.ignored().isEmpty()) {
      sb.append("\n  ignored:");
      appendCapped(sb, p.ignored(), "ignored entries");
    }
    sb.append("\n  fix: ").append(advice(m));
    return sb.toString();
  }

  /** Lists at most {@link #MAX_LINES} items so a hostile certificate cannot make the message huge. */
  private static void appendCapped(StringBuilder sb, java.util.List<?> items, String what) {
    int shown = Math.min(items.size(), MAX_LINES);
    for (int i = 0; i < shown; i++) {
      sb.append("\n    ").append(items.get(i));
    }
    if (items.size() > shown) {
      sb.append("\n    ... and ").append(items.size() - shown).append(" more ").append(what).append(" not shown");
    }
  }

  private static String commonNameNote(IdentityMatch.NotMatched m) {
    if (!m.policy().legacyCommonName()) {
      return " (not used: RFC 9525 §2 forbids CN-IDs)";
    }
    if (m.presented().hasSubjectAltNameIdentifier()) {
      return " (not used: the certificate has subjectAltName identifiers, SI-20)";
    }
    return "";
  }

  private static String advice(IdentityMatch.NotMatched m) {
    PresentedIdentifiers p = m.presented();
    String wanted = m.references().all().get(0).toString();
    if (p.subjectAltNameError().isPresent()) {
      return "the certificate is malformed; the server operator must replace it with one whose subjectAltName lists "
          + wanted;
    }
    if (!m.policy().legacyCommonName() && !p.hasSubjectAltNameIdentifier() && commonNameCovers(m)) {
      return "the certificate names the server only in its subject CN; ask the operator to reissue it with "
          + wanted + " as a subjectAltName dNSName (switching on legacy CN matching for this account is the"
          + " last resort, and weakens it)";
    }
    if (m.references().unapprovedHost().isPresent()) {
      return "the host " + m.references().unapprovedHost().get() + " came from an SRV answer that was neither"
          + " DNSSEC-validated nor approved, so it proves nothing (RFC 8314 §5.1, RFC 9525 §6.1.1); ask the user to"
          + " confirm that host once and store it as approved, or ask the operator for a certificate that lists "
          + wanted;
    }
    String partner = bundlePartnerPresented(m);
    if (partner != null) {
      return "the certificate's " + partner + " names the other service of the same pair (implicit TLS vs STARTTLS);"
          + " ask the operator to add " + wanted + ", or switch on SRV service bundles for this account (SRV-08)";
    }
    return "ask the server operator for a certificate that lists " + wanted
        + ", or correct the host name configured for this account if it is wrong";
  }

  private static @Nullable String bundlePartnerPresented(IdentityMatch.NotMatched m) {
    if (m.policy().srvServiceBundles()) {
      return null;
    }
    for (ReferenceIdentity r : m.references().all()) {
      if (r instanceof ReferenceIdentity.SrvId) {
        ReferenceIdentity.SrvId srv = (ReferenceIdentity.SrvId) r;
        for (PresentedIdentifier p : m.presented().subjectAltNames()) {
          if (p instanceof PresentedIdentifier.Srv
              && ((PresentedIdentifier.Srv) p).domain().equals(srv.domain().ascii())
              && ((PresentedIdentifier.Srv) p).service().equals(srv.service().bundlePartner().label())
              && srv.service().bundlePartner() != srv.service()) {
            return p.toString();
          }
        }
      }
    }
    return null;
  }

  private static boolean commonNameCovers(IdentityMatch.NotMatched m) {
    for (DnsId ref : m.references().dnsIds()) {
      for (PresentedIdentifier.Cn cn : m.presented().commonNames()) {
        if (IdentityMatcher.dnsMatches(ref.name().ascii(), cn.name(), cn.wildcard())) {
          return true;
        }
      }
    }
    return false;
  }
}
