package org.mailtls.cli.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailtls.cli.probe.Verdict.Status;
import org.mailtls.policy.TrustDecision;

/**
 * Turns what the connections showed into verdicts. The required ones are exactly the brief's
 * policy: a verified identity, TLS 1.2+ with an allowed suite, no legacy version or weak suite
 * accepted, and for STARTTLS services STARTTLS offered and followed by a usable certificate.
 * Implicit TLS on the partner port and the absence of cleartext password offers are advice.
 */
final class Verdicts {
  private Verdicts() {}

  static List<Verdict> of(ProbeRequest r, Handshake main, List<LegacyClient.Attempt> legacy,
      Optional<Handshake> implicit, Optional<String> implicitUnavailable) {
    List<Verdict> v = new ArrayList<>();
    v.add(identity(main));
    v.add(version(main));
    for (LegacyClient.Attempt a : legacy) {
      Status s = switch (a.outcome()) {
        case ACCEPTED -> Status.FAIL;
        case REFUSED -> Status.PASS;
        case NOT_TESTED -> Status.UNKNOWN;
      };
      v.add(new Verdict(a.check().id(), a.check().title(), a.check().rule(), s, true,
          (a.outcome() == LegacyClient.Outcome.NOT_TESTED ? "not tested: " : "") + a.detail()));
    }
    if (r.startTls()) {
      v.add(startTlsCertificate(main));
      v.add(cleartextPasswords(main));
      v.add(implicitTls(r, implicit, implicitUnavailable));
    }
    return List.copyOf(v);
  }

  private static Verdict identity(Handshake h) {
    String title = "certificate verified for a reference identity";
    String rule = "RFC 7817 §3, RFC 9525 §6; R8314-C-08";
    if (h.verified()) {
      String how = h.acceptance().flatMap(TrustDecision.Accepted::validatedIdentity)
          .map(m -> m.reference() + " matched " + m.presented()).orElse("verified");
      return new Verdict("identity", title, rule, Status.PASS, true, Text.printable(how));
    }
    Optional<TrustDecision.Refused> refused = h.refusal();
    if (refused.isPresent()) {
      TrustDecision.Refused x = refused.get();
      String why = x.identityMismatch().isPresent() ? "no presented identifier matches any reference identity"
          : firstLine(x.reason());
      return new Verdict("identity", title, rule, Status.FAIL, true, x.rule() + ": " + Text.printable(why));
    }
    if (h.completed()) {
      return new Verdict("identity", title, rule, Status.FAIL, true,
          h.assessment().map(a -> a.level() + ": " + String.join("; ", a.shortfalls())).orElse("not assessed"));
    }
    return new Verdict("identity", title, rule, Status.UNKNOWN, true, "no certificate seen: " + h.failure().get());
  }

  private static Verdict version(Handshake h) {
    String title = "negotiates TLS 1.2+ with an RFC 9325 suite";
    String rule = "RFC 8314 §4.1, RFC 8997, RFC 9325 §4; TLS-03, TLS-12";
    if (h.completed()) {
      return new Verdict("version", title, rule, Status.PASS, true,
          h.protocol().orElse("?") + " " + h.cipherSuite().orElse("?") + h.group().map(g -> " " + g).orElse(""));
    }
    Optional<TrustDecision.Refused> refused = h.refusal();
    if (refused.isPresent() && refused.get().rule().startsWith("TLS-")) {
      return new Verdict("version", title, rule, Status.FAIL, true, Text.printable(firstLine(refused.get().reason())));
    }
    if (refused.isPresent()) { // MailTLS checks version and suite before the chain (TrustChecks)
      return new Verdict("version", title, rule, Status.PASS, true,
          "passed MailTLS's version and suite floors; the handshake then stopped at the certificate");
    }
    if (h.failure().get().startsWith("STARTTLS")) {
      return new Verdict("version", title, rule, Status.UNKNOWN, true, "no TLS handshake: " + h.failure().get());
    }
    return new Verdict("version", title, rule, Status.FAIL, true, h.failure().get());
  }

  private static Verdict startTlsCertificate(Handshake h) {
    String title = "offers STARTTLS, and only with a usable certificate";
    String rule = "RFC 8314 §4, RFC 3207, RFC 2595; R8314-S-04";
    if (h.beforeTls().isEmpty()) {
      return new Verdict("starttls", title, rule, Status.FAIL, true, h.failure().orElse("no STARTTLS dialogue"));
    }
    if (h.verified()) {
      return new Verdict("starttls", title, rule, Status.PASS, true,
          "STARTTLS advertised; TLS followed with a verified certificate");
    }
    return new Verdict("starttls", title, rule, Status.FAIL, true,
        "STARTTLS advertised, but " + h.failure().orElse("the connection was not VERIFIED"));
  }

  private static Verdict cleartextPasswords(Handshake h) {
    String title = "offers no password authentication before TLS";
    String rule = "RFC 8314 §4.1; R8314-S-12, S-13 (advice)";
    if (h.beforeTls().isEmpty()) {
      return new Verdict("cleartext-auth", title, rule, Status.WARN, false, "capabilities not seen");
    }
    Optional<String> offer = h.beforeTls().get().passwordBeforeTls();
    return offer.map(o -> new Verdict("cleartext-auth", title, rule, Status.WARN, false, Text.printable(o)))
        .orElseGet(() -> new Verdict("cleartext-auth", title, rule, Status.PASS, false,
            "no password mechanism listed before STARTTLS"));
  }

  private static Verdict implicitTls(ProbeRequest r, Optional<Handshake> implicit, Optional<String> unavailable) {
    String title = "also offers implicit TLS (" + r.service().bundlePartner().label() + ", port " + r.implicitPort()
        + ")";
    String rule = "RFC 8314 §3; R8314-S-03 (advice)";
    if (implicit.isEmpty()) {
      return new Verdict("implicit-tls", title, rule, Status.WARN, false, unavailable.orElse("not tried"));
    }
    Handshake h = implicit.get();
    if (h.verified()) {
      return new Verdict("implicit-tls", title, rule, Status.PASS, false, "available and verified: "
          + h.protocol().orElse("?") + " " + h.cipherSuite().orElse("?"));
    }
    return new Verdict("implicit-tls", title, rule, Status.WARN, false,
        "port open, but " + h.failure().orElse("the connection was not VERIFIED"));
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl >= 0 ? s.substring(0, nl) : s;
  }
}
