package org.mailtls.policy.identity;

import static java.util.Objects.requireNonNull;

/**
 * A certificate entry that could have named the server but was set aside, with the reason.
 * Ignoring (rather than failing the whole certificate) is what RFC 9525 §6.3 asks for invalid
 * presented identifiers; the record lets an error message show the operator what to fix.
 *
 * @param kind the entry's type as a user would search for it, e.g. {@code dNSName}, {@code URI},
 *     {@code SRVName}, {@code subject CN}
 * @param value the entry rendered safely for display (escaped and cut, never raw)
 * @param reason why it was set aside, citing the rule
 */
public record IgnoredIdentifier(String kind, String value, String reason) {
  public IgnoredIdentifier {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return kind + " \"" + value + "\": " + reason;
  }
}
