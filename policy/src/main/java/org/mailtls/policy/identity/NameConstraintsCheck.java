package org.mailtls.policy.identity;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;

/**
 * Name constraints that the JDK's PKIX validator does not apply, checked by MailTLS on the
 * validated path (every CA certificate, the trust anchor's included):
 *
 * <ul>
 *   <li>SRVName constraints (RFC 4985 §4, SRV-07): a constraint is a complete SRVName
 *       ({@code _imaps.example.com}), a service only ({@code _imaps}) or a domain only ({@code
 *       example.com}); domains match as dNSName subtrees (labels added on the left).
 *   <li>SI-17 (RFC 9525 §7.6): a CA constrained in dNSName but not in SRVName would be unconstrained
 *       for SRV-IDs, so dNSName constraints also bind the domain of every SRVName: permitted dNSName
 *       subtrees (when the CA lists no SRVName subtree) must contain it, excluded ones must not.
 *   <li>dNSName constraints in a trust anchor's own certificate, which the JDK ignores (it honours
 *       only constraints handed to {@code TrustAnchor} explicitly); intermediates' dNSName
 *       constraints are checked again, harmlessly.
 * </ul>
 *
 * Fails closed: a CA whose name-constraints extension cannot be parsed is a violation.
 *
 * <p>Today the JDK's path validator, which runs first in MailTLS, refuses any chain whose CAs carry
 * otherName (SRVName) constraints at all (it cannot match them); MailTLS reports that refusal with
 * SRV-07 in its message. The SRVName rules here are exact for the day a validator passes such
 * chains, and SI-17's dNSName-binds-SRVName rule applies now.
 */
public final class NameConstraintsCheck {
  private static final ASN1ObjectIdentifier ID_ON_DNS_SRV = SubjectAltNameParser.ID_ON_DNS_SRV;

  private NameConstraintsCheck() {}

  /** A violated constraint: the rule and a message naming the CA, the constraint and the name. */
  public record Violation(String rule, String message) {}

  /**
   * @param caCertificates the CA certificates of the validated path, anchor included, any order
   * @param leaf the end-entity certificate
   */
  public static Optional<Violation> check(List<X509Certificate> caCertificates, X509Certificate leaf) {
    // Most paths carry no name constraints at all: then the leaf's names are not parsed here (the
    // identity check parses them anyway).
    List<X509Certificate> constrained = new ArrayList<>();
    for (X509Certificate ca : caCertificates) {
      if (ca.getExtensionValue(Extension.nameConstraints.getId()) != null) {
        constrained.add(ca);
      }
    }
    if (constrained.isEmpty()) {
      return Optional.empty();
    }
    PresentedIdentifiers ids = PresentedIdentifiers.from(leaf);
    List<PresentedIdentifier.Dns> dns = new ArrayList<>();
    List<PresentedIdentifier.Srv> srv = new ArrayList<>();
    for (PresentedIdentifier p : ids.subjectAltNames()) {
      if (p instanceof PresentedIdentifier.Dns d) {
        dns.add(d);
      } else if (p instanceof PresentedIdentifier.Srv s) {
        srv.add(s);
      }
    }
    if (dns.isEmpty() && srv.isEmpty()) {
      return Optional.empty();
    }
    for (X509Certificate ca : constrained) {
      Optional<Violation> v = checkOne(ca, dns, srv);
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> checkOne(X509Certificate ca, List<PresentedIdentifier.Dns> dns,
      List<PresentedIdentifier.Srv> srv) {
    byte[] ext = ca.getExtensionValue(Extension.nameConstraints.getId()); // present: check() chose ca for it
    String who = "the CA " + Printable.of(ca.getSubjectX500Principal().getName());
    Subtrees permitted;
    Subtrees excluded;
    try {
      NameConstraints nc = NameConstraints.getInstance(ASN1OctetString.getInstance(ext).getOctets());
      permitted = Subtrees.of(nc.getPermittedSubtrees());
      excluded = Subtrees.of(nc.getExcludedSubtrees());
    } catch (RuntimeException e) {
      return Optional.of(new Violation("R8314-C-25", who + " has a name-constraints extension that cannot be parsed ("
          + Printable.of(String.valueOf(e.getMessage())) + "), so no name it issued can be trusted"));
    }
    for (PresentedIdentifier.Dns d : dns) {
      String name = d.wildcardBase();
      for (String c : excluded.dns) {
        if (withinDomain(name, c)) {
          return violation("R8314-C-25", who, d, "is in its excluded dNSName subtree \"" + c + "\"");
        }
      }
      if (!permitted.dns.isEmpty() && permitted.dns.stream().noneMatch(c -> withinDomain(name, c))) {
        return violation("R8314-C-25", who, d, "is outside its permitted dNSName subtrees " + permitted.dns);
      }
    }
    for (PresentedIdentifier.Srv s : srv) {
      for (String[] c : excluded.srv) {
        if (srvMatches(s, c)) {
          return violation("SRV-07", who, s, "is in its excluded SRVName subtree \"" + show(c) + "\"");
        }
      }
      if (!permitted.srv.isEmpty() && permitted.srv.stream().noneMatch(c -> srvMatches(s, c))) {
        return violation("SRV-07", who, s, "is outside its permitted SRVName subtrees "
            + permitted.srv.stream().map(NameConstraintsCheck::show).toList());
      }
      for (String c : excluded.dns) {
        if (withinDomain(s.domain(), c)) {
          return violation("SI-17", who, s, "has a domain in its excluded dNSName subtree \"" + c + "\"");
        }
      }
      if (permitted.srv.isEmpty() && !permitted.dns.isEmpty()
          && permitted.dns.stream().noneMatch(c -> withinDomain(s.domain(), c))) {
        return violation("SI-17", who, s, "has a domain outside its permitted dNSName subtrees " + permitted.dns
            + " (a CA constrained for dNSName is held to it for SRVName too)");
      }
    }
    return Optional.empty();
  }

  private static Optional<Violation> violation(String rule, String who, PresentedIdentifier name, String what) {
    return Optional.of(new Violation(rule, "the certificate's " + name + " " + what + " of " + who
        + " (RFC 5280 §4.2.1.10, RFC 4985 §4)"));
  }

  /** RFC 5280 dNSName subtree: the name itself or with labels added on the left; "" matches all. */
  static boolean withinDomain(String name, String constraint) {
    String n = name.toLowerCase(Locale.ROOT);
    String c = constraint.toLowerCase(Locale.ROOT);
    if (c.isEmpty()) {
      return true;
    }
    if (c.startsWith(".")) {
      return n.endsWith(c); // a leading dot: subdomains only
    }
    return n.equals(c) || n.endsWith("." + c);
  }

  /** {service or null, domain or null}: RFC 4985 §4's three forms. */
  private static boolean srvMatches(PresentedIdentifier.Srv s, String[] c) {
    return (c[0] == null || c[0].equalsIgnoreCase(s.service())) && (c[1] == null || withinDomain(s.domain(), c[1]));
  }

  private static String show(String[] c) {
    return (c[0] == null ? "" : "_" + c[0]) + (c[0] != null && c[1] != null ? "." : "") + (c[1] == null ? "" : c[1]);
  }

  /** The dNSName and SRVName subtrees of one side of a name-constraints extension. */
  private record Subtrees(List<String> dns, List<String[]> srv) {
    static Subtrees of(GeneralSubtree[] trees) {
      List<String> dns = new ArrayList<>();
      List<String[]> srv = new ArrayList<>();
      if (trees != null) {
        for (GeneralSubtree t : trees) {
          GeneralName base = t.getBase();
          if (base.getTagNo() == GeneralName.dNSName) {
            dns.add(ASN1IA5String.getInstance(base.getName()).getString());
          } else if (base.getTagNo() == GeneralName.otherName) {
            String[] c = srvConstraint(ASN1Sequence.getInstance(base.getName()));
            if (c != null) {
              srv.add(c);
            }
          }
        }
      }
      return new Subtrees(List.copyOf(dns), List.copyOf(srv));
    }

    /** An SRVName constraint as {service or null, domain or null}; null for another otherName type. */
    private static String[] srvConstraint(ASN1Sequence otherName) {
      if (!ID_ON_DNS_SRV.equals(ASN1ObjectIdentifier.getInstance(otherName.getObjectAt(0)))) {
        return null;
      }
      ASN1Encodable value = ASN1TaggedObject.getInstance(otherName.getObjectAt(1)).getExplicitBaseObject();
      String v = ASN1IA5String.getInstance(value).getString().toLowerCase(Locale.ROOT);
      if (!v.startsWith("_")) {
        return new String[] {null, v};
      }
      int dot = v.indexOf('.');
      return dot < 0 ? new String[] {v.substring(1), null} : new String[] {v.substring(1, dot), v.substring(dot + 1)};
    }
  }
}
