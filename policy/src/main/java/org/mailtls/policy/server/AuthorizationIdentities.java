package org.mailtls.policy.server;

import org.jspecify.annotations.Nullable;

/**
 * The rules every authorization identity obeys, whichever mapping produced it, and the escaping of
 * untrusted certificate text in reasons.
 *
 * <p>Why: the identity goes into SASL (RFC 4422 §3.4.1 forbids NUL in an authzid), into protocol
 * responses and into logs. A control character, an unpaired surrogate or surrounding white space
 * could split a log line or make {@code "alice "} a second user next to {@code "alice"}, so such a
 * value is refused rather than cleaned up (fail closed).
 */
final class AuthorizationIdentities {
  /** Longest identity accepted, in chars. Mail addresses are at most 254 octets (RFC 5321 §4.5.3.1). */
  static final int MAX_LENGTH = 254;

  /** Longest rendering of untrusted text in a reason, before it is cut. */
  private static final int MAX_SHOWN = 120;

  private AuthorizationIdentities() {}

  /** Why {@code s} cannot be an authorization identity, or null when it can. */
  static @Nullable String problem(String s) {
    if (s.isEmpty()) {
      return "it is empty";
    }
    if (s.length() > MAX_LENGTH) {
      return "it is " + s.length() + " characters long; at most " + MAX_LENGTH + " are accepted";
    }
    if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) {
      return "\"" + shown(s) + "\" starts or ends with white space";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        return "\"" + shown(s) + "\" contains the control character U+" + String.format("%04X", (int) c);
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "\"" + shown(s) + "\" contains an unpaired surrogate";
      }
    }
    return null;
  }

  /** Untrusted text for a message: printable ASCII as is, the rest escaped, cut at a bounded length. */
  static String shown(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (sb.length() >= MAX_SHOWN) {
        return sb.append("...(").append(s.length()).append(" chars)").toString();
      }
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.toString();
  }
}
