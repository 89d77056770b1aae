package org.mailtls.policy.identity;

import com.google.errorprone.annotations.Immutable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A strict, normalized DNS host name used as a reference identifier: lower-case A-labels, no
 * trailing dot, no wildcard, no underscore, never an IP literal.
 *
 * <p>Normalization (requirements.md B.2 step 1): one trailing dot is stripped (RFC 6066 §3 keeps
 * it out of SNI; presented names never carry it), ASCII letters are lower-cased (RFC 4343), and
 * U-labels are converted to A-labels with IDNA2008 / UTS #46 non-transitional processing (RFC 9525
 * §6.3, SI-07). A string whose last label is numeric is refused: it is an IP literal, or something
 * that some resolvers would read as one ({@code 127.1}), and must be classified as an IP-ID first
 * (SI-18).
 */
@Immutable
public final class DnsName {
  /** Inputs longer than this are refused before IDNA processing, whatever they contain. */
  static final int MAX_INPUT_LENGTH = 1024;

  private final String ascii;

  private DnsName(String ascii) {
    this.ascii = ascii;
  }

  /**
   * Parses a host name as typed by a user or stored in an account.
   *
   * @throws IllegalArgumentException naming the input and the rule it breaks
   */
  public static DnsName parse(String name) {
    if (name.length() > MAX_INPUT_LENGTH) {
      throw new IllegalArgumentException(
          "host name is " + name.length() + " characters long; at most " + HostSyntax.MAX_NAME_LENGTH + " are allowed");
    }
    String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("host name is empty");
    }
    String ascii;
    try {
      ascii = Idna.toAscii(trimmed);
    } catch (IllegalArgumentException e) {
      // Prefer the plain syntax reason ("empty label") over ICU's error names when there is one.
      String reason = HostSyntax.checkLdhName(HostSyntax.asciiLowerCase(trimmed));
      if (reason != null) {
        throw new IllegalArgumentException(
            "not a valid host name: \"" + Printable.of(name) + "\" (" + reason + ")", e);
      }
      throw e;
    }
    String reason = HostSyntax.checkLdhName(ascii);
    if (reason != null) {
      throw new IllegalArgumentException("not a valid host name: \"" + Printable.of(name) + "\" (" + reason + ")");
    }
    if (HostSyntax.hasNumericTopLabel(ascii)) {
      throw new IllegalArgumentException(
          "\"" + Printable.of(name) + "\" looks like an IP address, not a host name; give an IP literal as an IP-ID");
    }
    return new DnsName(ascii.toLowerCase(Locale.ROOT));
  }

  /** The lower-case A-label form, the form compared against certificates. */
  public String ascii() {
    return ascii;
  }

  /** The Unicode form for display to a user (equal to {@link #ascii()} for ASCII-only names). */
  public String unicode() {
    return Idna.toUnicode(ascii);
  }

  /** The labels, left-most first. */
  public List<String> labels() {
    return Arrays.asList(ascii.split("\\.", -1));
  }

  /** The number of labels. */
  public int labelCount() {
    return labels().size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DnsName && ((DnsName) o).ascii.equals(ascii);
  }

  @Override
  public int hashCode() {
    return ascii.hashCode();
  }

  /** The A-label form, with the Unicode form in parentheses when they differ. */
  @Override
  public String toString() {
    String unicode = unicode();
    return unicode.equals(ascii) ? ascii : ascii + " (" + unicode + ")";
  }
}
