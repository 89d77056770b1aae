package org.mailtls.policy.server;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.mailtls.policy.identity.IdentityMatch;
import org.mailtls.policy.identity.IdentityMatcher;
import org.mailtls.policy.identity.PresentedIdentifier;
import org.mailtls.policy.identity.PresentedIdentifiers;
import org.mailtls.policy.identity.ReferenceIdentities;

/**
 * Whether a server's leaf covers one configured name, judged exactly as a strict MailTLS client
 * judges it ({@link IdentityMatcher#strict()}: DNS-ID, strict wildcards, IP-ID, no CN fallback).
 *
 * <p>Why the client's rules: a name the server is configured for but its certificate does not cover
 * under those rules produces a refused connection for every RFC 7817 client, so it is an ERROR at
 * start-up (R8314-S-18, R8314-S-19).
 */
final class ServerNameCoverage {
  private ServerNameCoverage() {}

  static void check(String name, X509Certificate leaf, String leafSubject, List<CertificateFinding> out) {
    String subject = "name " + AuthorizationIdentities.shown(name);
    ReferenceIdentities refs;
    try {
      refs = ReferenceIdentities.forHost(name);
    } catch (IllegalArgumentException | IllegalStateException e) {
      out.add(CertificateFinding.error("R8314-S-18", subject, "is not a host name or IP literal (" + e.getMessage()
          + "): correct the configured name"));
      return;
    }
    IdentityMatch match = IdentityMatcher.strict().match(refs, leaf);
    if (!match.isMatch()) {
      out.add(CertificateFinding.error("R8314-S-18", subject, "is not covered by " + leafSubject + ", which presents "
          + presented(leaf) + "; clients connecting to " + refs.all().get(0).describe() + " refuse it (RFC 7817 §3,"
          + " RFC 9525 §6): add the name to the certificate's subjectAltName, or serve it with another certificate"));
    }
  }

  /** The usable identifiers of the leaf, for the message; "no DNS-ID or IP-ID" when there is none. */
  static String presented(X509Certificate leaf) {
    PresentedIdentifiers p = PresentedIdentifiers.from(leaf);
    List<String> parts = new ArrayList<>();
    for (PresentedIdentifier id : p.subjectAltNames()) {
      parts.add(id.toString());
    }
    p.ignored().forEach(i -> parts.add("(ignored) " + i));
    if (parts.isEmpty()) {
      return p.commonNames().isEmpty() ? "no DNS-ID or IP-ID"
          : "no DNS-ID or IP-ID, only " + p.commonNames() + ", which strict clients never use";
    }
    return String.join(", ", parts);
  }
}
