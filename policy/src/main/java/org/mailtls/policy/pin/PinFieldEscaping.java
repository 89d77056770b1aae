package org.mailtls.policy.pin;

/**
 * The escaping of text fields (account, host, reason) in the pin file, so that no value can break a
 * line or a field apart, and no invisible character can hide in a file people read.
 *
 * <p>A backslash is written {@code \\}, a tab {@code \t}, a line feed {@code \n}, a carriage return
 * {@code \r}; every other character of Unicode general category Cc (controls), Cf (format, e.g.
 * bidi overrides), Zl, Zp (line and paragraph separators) or Cs (an unpaired surrogate, which UTF-8
 * could not carry) is written {@code \}{@code uXXXX}, UTF-16 unit by unit. Everything else, including
 * non-ASCII letters, is written as itself in UTF-8. A {@code #} that starts a field is written
 * {@code \}{@code u0023}: at the start of a line it would turn the pin into a comment, and the pin
 * would silently vanish on the next read. Decoding accepts exactly these escapes and refuses any
 * other backslash sequence, so every file has exactly one meaning.
 */
final class PinFieldEscaping {
  /** Longest rendering of a foreign value in an error message, before it is cut. */
  private static final int MAX_SHOWN = 80;

  private PinFieldEscaping() {}

  /** The field text for {@code value}. */
  static String escape(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (i == 0 && cp == '#') {
        sb.append("\\u0023");
        i++;
        continue;
      }
      i += Character.charCount(cp);
      switch (cp) {
        case '\\': sb.append("\\\\"); break;
        case '\t': sb.append("\\t"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        default:
          if (needsEscape(cp)) {
            for (char c : Character.toChars(cp)) {
              sb.append(String.format("\\u%04x", (int) c));
            }
          } else {
            sb.appendCodePoint(cp);
          }
      }
    }
    return sb.toString();
  }

  private static boolean needsEscape(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
  }

  /**
   * The value of field text {@code field}.
   *
   * @throws IllegalArgumentException naming the bad escape, for any backslash sequence other than
   *     the ones {@link #escape} writes
   */
  static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder sb = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (i + 1 == field.length()) {
        throw new IllegalArgumentException("a lone backslash ends the field (write \\\\ for a backslash)");
      }
      char e = field.charAt(++i);
      switch (e) {
        case '\\': sb.append('\\'); break;
        case 't': sb.append('\t'); break;
        case 'n': sb.append('\n'); break;
        case 'r': sb.append('\r'); break;
        case 'u':
          if (i + 4 >= field.length() || !isHex(field, i + 1, i + 5)) {
            throw new IllegalArgumentException("\\u must be followed by 4 hex digits");
          }
          sb.append((char) Integer.parseInt(field.substring(i + 1, i + 5), 16));
          i += 4;
          break;
        default:
          throw new IllegalArgumentException("unknown escape \\" + shown(String.valueOf(e))
              + " (only \\\\, \\t, \\n, \\r and \\uXXXX are defined; write \\\\ for a backslash)");
      }
    }
    return sb.toString();
  }

  private static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Renders foreign text for an error message: escaped like a field, non-ASCII also escaped so the
   * message survives any log, and cut after {@value #MAX_SHOWN} characters.
   */
  static String shown(String text) {
    StringBuilder sb = new StringBuilder();
    String escaped = escape(text);
    for (int i = 0; i < escaped.length(); i++) {
      if (sb.length() >= MAX_SHOWN) {
        return sb.append("...(").append(text.length()).append(" chars)").toString();
      }
      char c = escaped.charAt(i);
      if (c < 0x7f) {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.toString();
  }
}
