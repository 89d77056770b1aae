package org.mailtls.policy.identity;

import java.nio.charset.StandardCharsets;

/**
 * Renders untrusted names for error messages: printable ASCII as is, everything else escaped, and
 * the whole cut to a bounded length so a hostile certificate cannot flood a log line.
 */
final class Printable {
  /** Longest rendering, in characters, before the text is cut with an ellipsis. */
  static final int MAX_CHARS = 120;

  private Printable() {}

  /** Escapes a Java string (non-ASCII as {@code \\uXXXX}). */
  static String of(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 8);
    for (int i = 0; i < s.length(); i++) {
      if (sb.length() >= MAX_CHARS) {
        return sb.append("...(").append(s.length()).append(" chars)").toString();
      }
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.toString();
  }

  /** Escapes raw bytes as they appeared in a certificate (non-printable as {@code \\xNN}). */
  static String of(byte[] raw) {
    StringBuilder sb = new StringBuilder(Math.min(raw.length, MAX_CHARS) + 8);
    for (int i = 0; i < raw.length; i++) {
      if (sb.length() >= MAX_CHARS) {
        return sb.append("...(").append(raw.length).append(" bytes)").toString();
      }
      int b = raw[i] & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '\\') {
        sb.append((char) b);
      } else {
        sb.append(String.format("\\x%02x", b));
      }
    }
    return sb.toString();
  }

  /** Decodes bytes that were already checked to be printable ASCII. */
  static String ascii(byte[] checked) {
    return new String(checked, StandardCharsets.US_ASCII);
  }
}
