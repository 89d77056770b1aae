package org.mailtls.policy.received;

import com.google.common.base.Ascii;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.received.ReceivedLexer.Token;

/**
 * Finds the {@code tls} clause, and the {@code group} clause after it, in a Received header field
 * (RFC 8314 §4.3, §7.4; requirements.md B.8, R8314-S-17).
 *
 * <p>Why a real parser: a Received field is written partly by the sender (the HELO name, comments
 * with client details), so a substring search for {@code "tls "} would believe {@code (tls FAKE)}
 * in a comment, a {@code [tls x]} domain literal, or text after the {@code ;}. This parser reads
 * the field the way RFC 5321 §4.4 defines it:
 *
 * <pre>
 * Stamp    = From-domain By-domain Opt-info [CFWS] ";" FWS date-time
 * Opt-info = [Via] [With] [ID] [For] [Additional-Registered-Clauses]
 * clause   = CFWS keyword FWS value      ; FROM, BY, VIA, WITH, ID, FOR, tls, group, ...
 * </pre>
 *
 * <p>Folding white space and comments (RFC 5322 §3.2.2, nested, with quoted-pairs) are dropped
 * first; everything before the first {@code ;} outside comments, quoted strings, literals and
 * {@code <paths>} is read as keyword-value pairs; the date after it is not interpreted. Keywords
 * compare ASCII case-insensitively (RFC 5234 §2.3: ABNF literals are case-insensitive), so
 * {@code TLS} and {@code Group} count and {@code tlſ} (long s) does not. Clause order is not
 * enforced (Exim writes {@code tls} before {@code id}), except that {@code group} must directly
 * follow {@code tls}. Two deliberate leniencies: any number of additional clauses (RFC 5321's ABNF
 * allows one, yet {@code tls} and {@code group} are two), and a comment between a keyword and its
 * value (RFC 5321 says FWS there).
 *
 * <p>Fail-closed: a field that is not such a stamp, a malformed suite or group, a {@code group}
 * not directly after {@code tls}, or a second {@code tls} throws {@link IllegalArgumentException}
 * naming the offset; no other exception escapes, whatever the input.
 */
public final class ReceivedClauseParser {
  /** Longest field accepted, in characters: far above real Received fields, far below harm. */
  public static final int MAX_FIELD_LENGTH = 32_768;

  private static final String FIELD_NAME = "Received:";

  private ReceivedClauseParser() {}

  /**
   * The {@code tls} clause of a Received field, with its {@code group} when present, or empty when
   * the stamp has no {@code tls} clause.
   *
   * @param receivedField the field value, optionally preceded by the {@code Received:} field name;
   *     folded lines are separated by CRLF + space or tab; without the CRLF that ends the field
   * @throws IllegalArgumentException if the field is not an RFC 5321 §4.4 stamp or its
   *     {@code tls}/{@code group} clauses are malformed; the message names the offset
   */
  public static Optional<ReceivedTlsClause> parse(String receivedField) {
    Objects.requireNonNull(receivedField, "receivedField");
    if (receivedField.length() > MAX_FIELD_LENGTH) {
      throw fail("the field has %d characters, more than the %d accepted", receivedField.length(),
          MAX_FIELD_LENGTH);
    }
    int start = receivedField.length() >= FIELD_NAME.length()
        && Ascii.equalsIgnoreCase(receivedField.substring(0, FIELD_NAME.length()), FIELD_NAME)
        ? FIELD_NAME.length() : 0;
    List<Token> tokens = ReceivedLexer.tokenize(receivedField, start);
    int semicolon = 0;
    while (semicolon < tokens.size() && !tokens.get(semicolon).semicolon()) {
      semicolon++;
    }
    if (semicolon == tokens.size()) {
      throw fail("no ';' before a date-time: a Received stamp ends with \"; date-time\" (RFC 5321 §4.4)");
    }
    if (semicolon + 1 == tokens.size()) {
      throw fail("nothing follows the ';' at offset %d: a Received stamp ends with a date-time (RFC 5321"
          + " §4.4)", tokens.get(semicolon).offset());
    }
    return Optional.ofNullable(clauses(tokens.subList(0, semicolon)));
  }

  private static @Nullable ReceivedTlsClause clauses(List<Token> tokens) {
    if (tokens.isEmpty()) {
      throw fail("no clauses before the ';': a Received stamp starts with FROM and BY (RFC 5321 §4.4)");
    }
    ReceivedTlsClause tls = null;
    int tlsPair = -1;
    for (int pair = 0; 2 * pair < tokens.size(); pair++) {
      Token keyword = tokens.get(2 * pair);
      if (!keyword.atom()) {
        throw fail("expected a clause keyword (FROM, BY, WITH, ID, FOR, tls, ...) at offset %d but found %s;"
            + " clauses are keyword-value pairs (RFC 5321 §4.4)", keyword.offset(),
            ReceivedTlsClause.printable(keyword.text()));
      }
      if (2 * pair + 1 == tokens.size()) {
        throw fail("the %s clause at offset %d has no value before the ';' (RFC 5321 §4.4)",
            ReceivedTlsClause.printable(keyword.text()), keyword.offset());
      }
      Token value = tokens.get(2 * pair + 1);
      if (Ascii.equalsIgnoreCase(keyword.text(), "tls")) {
        if (tls != null) {
          throw fail("a second tls clause at offset %d: a Received stamp records the one suite of its"
              + " connection (RFC 8314 §4.3)", keyword.offset());
        }
        tls = suite(value);
        tlsPair = pair;
      } else if (Ascii.equalsIgnoreCase(keyword.text(), "group")) {
        if (tls == null || tlsPair != pair - 1) {
          throw fail("the group clause at offset %d does not directly follow a tls clause; a group is"
              + " recorded only after its suite (RFC 8314 §4.3, requirements.md B.8)", keyword.offset());
        }
        tls = group(tls, value);
      }
    }
    return tls;
  }

  private static ReceivedTlsClause suite(Token value) {
    try {
      checkAtom(value, "cipher suite");
      return ReceivedTlsClause.parseSuite(value.text());
    } catch (IllegalArgumentException e) {
      throw fail(e, "tls clause value at offset %d: %s", value.offset(), e.getMessage());
    }
  }

  private static ReceivedTlsClause group(ReceivedTlsClause tls, Token value) {
    try {
      checkAtom(value, "group");
      return tls.withGroup(value.text());
    } catch (IllegalArgumentException e) {
      throw fail(e, "group clause value at offset %d: %s", value.offset(), e.getMessage());
    }
  }

  private static void checkAtom(Token value, String what) {
    if (!value.atom()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "malformed %s %s: expected a bare name, not a quoted string, literal or path", what,
          ReceivedTlsClause.printable(value.text())));
    }
  }

  private static IllegalArgumentException fail(String format, Object... args) {
    return new IllegalArgumentException("malformed Received field: " + String.format(Locale.ROOT, format, args));
  }

  private static IllegalArgumentException fail(Throwable cause, String format, Object... args) {
    return new IllegalArgumentException(
        "malformed Received field: " + String.format(Locale.ROOT, format, args), cause);
  }
}
