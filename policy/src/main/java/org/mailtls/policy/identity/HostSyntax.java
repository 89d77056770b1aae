package org.mailtls.policy.identity;

import org.jspecify.annotations.Nullable;

/**
 * The letters-digits-hyphen host name syntax shared by reference names and presented identifiers.
 *
 * <p>Checks return a reason string (or {@code null} when the input is fine) rather than throwing,
 * so the presented-identifier parser can record why an entry was ignored (RFC 9525 §6.3: invalid
 * presented identifiers are ignored, not fatal).
 */
final class HostSyntax {
  /** RFC 1035 §2.3.4: a label is at most 63 octets. */
  static final int MAX_LABEL_LENGTH = 63;

  /** RFC 1035 §2.3.4 (255 octets on the wire) less the length octets: 253 in text form. */
  static final int MAX_NAME_LENGTH = 253;

  private HostSyntax() {}

  /**
   * Checks an ASCII host name in preferred name syntax (RFC 1034 §3.5, RFC 1123 §2.1): labels of
   * letters, digits and hyphens, not starting or ending with a hyphen, 1 to 63 characters, no
   * trailing dot, at most 253 characters in all.
   */
  static @Nullable String checkLdhName(String name) {
    if (name.isEmpty()) {
      return "empty name";
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return "longer than " + MAX_NAME_LENGTH + " characters (" + name.length() + ")";
    }
    if (name.endsWith(".")) {
      return "ends with a dot";
    }
    int start = 0;
    while (true) {
      int dot = name.indexOf('.', start);
      int end = dot < 0 ? name.length() : dot;
      String reason = checkLdhLabel(name, start, end);
      if (reason != null) {
        return reason;
      }
      if (dot < 0) {
        return null;
      }
      start = dot + 1;
    }
  }

  private static @Nullable String checkLdhLabel(String name, int start, int end) {
    int length = end - start;
    if (length == 0) {
      return "empty label";
    }
    if (length > MAX_LABEL_LENGTH) {
      return "label longer than " + MAX_LABEL_LENGTH + " characters (" + length + ")";
    }
    for (int i = start; i < end; i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) {
        return c == '*'
            ? "'*' is allowed only as the whole left-most label"
            : "character '" + Printable.of(String.valueOf(c)) + "' is not a letter, digit or hyphen";
      }
    }
    if (name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
      return "label starts or ends with a hyphen";
    }
    return null;
  }

  /**
   * True when the last label is a number, decimal or {@code 0x} hexadecimal: such a string is an
   * address-like form (or a broken one, like {@code 127.1} or {@code 127.0.0.0x1}, which some
   * resolvers and URL parsers read as IPv4) and must never be treated as a DNS name (RFC 9525
   * §7.4, SI-18).
   */
  static boolean hasNumericTopLabel(String name) {
    int lastDot = name.lastIndexOf('.');
    String top = name.substring(lastDot + 1);
    int start = 0;
    boolean hex = top.length() >= 2 && top.charAt(0) == '0' && (top.charAt(1) == 'x' || top.charAt(1) == 'X');
    if (hex) {
      start = 2;
    }
    if (top.isEmpty()) {
      return false;
    }
    for (int i = start; i < top.length(); i++) {
      char c = top.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      boolean hexDigit = hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
      if (!digit && !hexDigit) {
        return false;
      }
    }
    return true;
  }

  /** True for 7-bit printable ASCII (0x21..0x7e) only: no spaces, no controls, no NUL. */
  static boolean isVisibleAscii(byte[] raw) {
    for (byte b : raw) {
      if (b < 0x21 || b > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** Lower-cases ASCII letters only (RFC 4343); leaves every other character alone. */
  static String asciiLowerCase(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (sb == null) {
          sb = new StringBuilder(s);
        }
        sb.setCharAt(i, (char) (c + 32));
      }
    }
    return sb == null ? s : sb.toString();
  }
}
