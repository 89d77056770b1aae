package org.mailtls.cli.probe;

/** Text from the server (greetings, certificate names) made safe to print. */
final class Text {
  private Text() {}

  /**
   * {@code s} with every control character, DEL and C1 control shown as {@code \xNN}: a hostile
   * server must not be able to move the cursor or recolour a terminal through the probe's report.
   */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
