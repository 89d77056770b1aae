package org.mailtls.cli.probe;

import java.util.List;
import java.util.Optional;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.IdentityMatch;
import org.mailtls.policy.identity.PresentedIdentifiers;
import org.mailtls.policy.identity.ReferenceIdentity;

/**
 * The identity part of the report, read from MailTLS's decision (never recomputed): which reference
 * identity matched which presented identifier, or which were expected, which were presented, which
 * were ignored and why, when none matched.
 *
 * @param verified whether MailTLS verified the server's identity
 * @param expected the reference identities, described ("DNS-ID x (the host connected to)")
 * @param matchedReference the reference identity that matched
 * @param matchedPresented the presented identifier it matched
 * @param matchKind how it matched (exact, wildcard, ...)
 * @param presented the usable identifiers in the certificate, when none matched
 * @param ignored certificate entries the identity engine ignored, with the reason
 * @param rule the refusing rule, e.g. {@code R7817-C-01}
 * @param explanation MailTLS's full message: why, and the fix
 */
record IdentityFacts(boolean verified, List<String> expected, Optional<String> matchedReference,
    Optional<String> matchedPresented, Optional<String> matchKind, List<String> presented, List<String> ignored,
    Optional<String> rule, Optional<String> explanation) {

  static IdentityFacts of(Handshake h, List<String> references) {
    Optional<IdentityMatch.Matched> m = h.acceptance().flatMap(TrustDecision.Accepted::validatedIdentity);
    if (m.isPresent()) {
      return new IdentityFacts(h.verified(), references, Optional.of(Text.printable(m.get().reference().describe())),
          Optional.of(Text.printable(m.get().presented().toString())), Optional.of(m.get().kind().name()), List.of(),
          List.of(), Optional.empty(), Optional.of(Text.printable(m.get().message())));
    }
    Optional<TrustDecision.Refused> refused = h.refusal();
    if (refused.isEmpty()) {
      return new IdentityFacts(false, references, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
          List.of(), Optional.empty(), h.failure());
    }
    TrustDecision.Refused r = refused.get();
    Optional<IdentityMatch.NotMatched> miss = r.identityMismatch();
    List<String> expected = miss.map(n -> n.references().all().stream().map(ReferenceIdentity::describe)
        .map(Text::printable).toList()).orElse(references);
    List<String> presented = miss.map(n -> presented(n.presented())).orElse(List.of());
    List<String> ignored = miss.map(n -> n.presented().ignored().stream().map(Object::toString).map(Text::printable)
        .toList()).orElse(List.of());
    return new IdentityFacts(false, expected, Optional.empty(), Optional.empty(), Optional.empty(), presented,
        ignored, Optional.of(r.rule()), Optional.of(printableLines(explanation(r))));
  }

  /**
   * Why MailTLS refused, and the fix, without repeating what the report already lists (expected,
   * presented and ignored identifiers, the chain).
   */
  private static String explanation(TrustDecision.Refused r) {
    StringBuilder b = new StringBuilder("MailTLS refused the certificate of ").append(r.peer()).append(" (")
        .append(r.rule()).append("): ");
    if (r.identityMismatch().isPresent()) {
      String[] lines = r.identityMismatch().get().message().split("\n");
      b.append(lines[0].trim());
      for (String line : lines) {
        if (line.trim().startsWith("fix:")) {
          b.append('\n').append(line.trim());
        }
      }
      return b.toString();
    }
    b.append(r.reason());
    r.violations().forEach(v -> b.append('\n').append(v));
    return b.append("\nfix: ").append(r.fix()).toString();
  }

  private static List<String> presented(PresentedIdentifiers p) {
    return java.util.stream.Stream.concat(p.subjectAltNames().stream(), p.commonNames().stream())
        .map(Object::toString).map(Text::printable).toList();
  }

  /** Keeps line breaks (the message is multi-line on purpose) but neutralises other controls. */
  private static String printableLines(String s) {
    StringBuilder b = new StringBuilder();
    for (String line : s.split("\n", -1)) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(Text.printable(line));
    }
    return b.toString();
  }
}
