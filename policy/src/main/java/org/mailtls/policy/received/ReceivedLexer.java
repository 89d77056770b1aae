package org.mailtls.policy.received;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a Received field value into words and {@code ;} tokens, dropping folding white space and
 * comments (RFC 5322 §3.2.2), so that nothing inside a comment, a quoted string (§3.2.4), a domain
 * literal (§3.4.1) or an RFC 5321 §4.1.2 {@code <path>} can be mistaken for a clause keyword.
 *
 * <p>A word is a run of adjacent pieces not separated by white space or comments: atom text,
 * quoted strings, {@code [literals]} and {@code <paths>}, e.g. {@code "a;b"@example.net}. It is an
 * <em>atom</em> when it is atom text only (RFC 5322 §3.2.3 atext, plus non-ASCII text per RFC 6532
 * §3.2). Everything is checked, fail-closed: bare CR or LF, a CRLF not followed by white space,
 * control characters, unbalanced or unterminated brackets all throw {@link
 * IllegalArgumentException} naming the offset. The scan is iterative, so deep comment nesting
 * cannot overflow the stack.
 */
final class ReceivedLexer {
  /** A word or a semicolon, with its offset in the scanned string. */
  record Token(boolean semicolon, String text, int offset, boolean atom) {}

  private final String s;
  private int i;
  private final List<Token> tokens = new ArrayList<>();

  private ReceivedLexer(String s, int start) {
    this.s = s;
    this.i = start;
  }

  /** The words and semicolons of {@code s} from {@code start} on. */
  static List<Token> tokenize(String s, int start) {
    ReceivedLexer lexer = new ReceivedLexer(s, start);
    lexer.run();
    return lexer.tokens;
  }

  private void run() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
      } else if (c == '\r' || c == '\n') {
        fold();
      } else if (c == '(') {
        comment();
      } else if (c == ';') {
        tokens.add(new Token(true, ";", i, false));
        i++;
      } else {
        word();
      }
    }
  }

  private void word() {
    int start = i;
    boolean atom = true;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        atom = false;
        quoted();
      } else if (c == '[') {
        atom = false;
        literal();
      } else if (c == '<') {
        atom = false;
        angle();
      } else if (isWordChar(c)) {
        atom &= isAtext(c);
        i++;
      } else {
        break;
      }
    }
    if (i == start) {
      throw unexpected(s.charAt(i), i);
    }
    tokens.add(new Token(false, s.substring(start, i), start, atom));
  }

  /** RFC 5322 §3.2.2: {@code comment = "(" *([FWS] ccontent) [FWS] ")"}, nested. */
  private void comment() {
    int start = i;
    int depth = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
        i++;
      } else if (c == ')') {
        depth--;
        i++;
        if (depth == 0) {
          return;
        }
      } else {
        inner(c);
      }
    }
    throw fail("unterminated comment: the '(' at offset %d has no matching ')' (RFC 5322 §3.2.2)", start);
  }

  /** RFC 5322 §3.2.4: {@code DQUOTE *([FWS] qcontent) [FWS] DQUOTE}. */
  private void quoted() {
    int start = i++;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        i++;
        return;
      }
      inner(c);
    }
    throw fail("unterminated quoted string starting at offset %d (RFC 5322 §3.2.4)", start);
  }

  /** RFC 5322 §3.4.1: {@code "[" *([FWS] dtext) [FWS] "]"} (quoted-pairs as obs-dtext). */
  private void literal() {
    int start = i++;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ']') {
        i++;
        return;
      }
      if (c == '[') {
        throw fail("'[' at offset %d inside the domain literal that starts at offset %d", i, start);
      }
      inner(c);
    }
    throw fail("unterminated domain literal: the '[' at offset %d has no matching ']' (RFC 5322 §3.4.1)", start);
  }

  /** RFC 5321 §4.1.2 Path: {@code "<" ... ">"}, no white space or comments, quoted strings inside. */
  private void angle() {
    int start = i++;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '>') {
        i++;
        return;
      } else if (c == '"') {
        quoted();
      } else if (isWordChar(c) || c == '[' || c == ']') {
        i++;
      } else {
        throw fail("%s at offset %d inside the <path> that starts at offset %d (RFC 5321 §4.1.2)",
            describe(c), i, start);
      }
    }
    throw fail("unterminated path: the '<' at offset %d has no matching '>' (RFC 5321 §4.1.2)", start);
  }

  /** One character inside a comment, quoted string or literal that is not its closing bracket. */
  private void inner(char c) {
    if (c == '\\') {
      quotedPair();
    } else if (c == '\r' || c == '\n') {
      fold();
    } else if (c != '\t' && isControl(c)) {
      throw unexpected(c, i);
    } else {
      i++;
    }
  }

  /** RFC 5322 §3.2.1: {@code quoted-pair = "\" (VCHAR / WSP)}. */
  private void quotedPair() {
    if (i + 1 >= s.length()) {
      throw fail("'\\' at offset %d ends the field: a quoted-pair needs a character (RFC 5322 §3.2.1)", i);
    }
    char next = s.charAt(i + 1);
    if (next != '\t' && isControl(next)) {
      throw fail("the quoted-pair at offset %d escapes %s; only a visible character or white space may be"
          + " escaped (RFC 5322 §3.2.1)", i, describe(next));
    }
    i += 2;
  }

  /** RFC 5322 §3.2.2: {@code FWS = ([*WSP CRLF] 1*WSP)}; CR and LF occur only as that CRLF. */
  private void fold() {
    if (s.charAt(i) == '\n') {
      throw fail("bare LF at offset %d: line breaks in a header field are CRLF (RFC 5322 §2.2)", i);
    }
    if (i + 1 >= s.length() || s.charAt(i + 1) != '\n') {
      throw fail("bare CR at offset %d: line breaks in a header field are CRLF (RFC 5322 §2.2)", i);
    }
    if (i + 2 >= s.length() || (s.charAt(i + 2) != ' ' && s.charAt(i + 2) != '\t')) {
      throw fail("the CRLF at offset %d is not followed by a space or tab: a field may be folded only"
          + " before white space (RFC 5322 §2.2.3, §3.2.2)", i);
    }
    i += 2;
  }

  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
  }

  private static boolean isWordChar(char c) {
    return !isControl(c) && " \t()[]<>;\"\\".indexOf(c) < 0;
  }

  /** RFC 5322 §3.2.3 atext, extended by RFC 6532 §3.2 with non-ASCII characters. */
  private static boolean isAtext(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0 || c >= 0xA0;
  }

  private static IllegalArgumentException unexpected(char c, int at) {
    if (c == ')' || c == ']' || c == '>') {
      return fail("unbalanced '%s' at offset %d: it closes nothing", String.valueOf(c), at);
    }
    if (c == '\\') {
      return fail("'\\' at offset %d outside a comment or quoted string (RFC 5322 §3.2.1)", at);
    }
    return fail("%s at offset %d is not allowed in a header field (RFC 5322 §2.2)", describe(c), at);
  }

  private static String describe(char c) {
    return c > 0x20 && c < 0x7F ? "'" + c + "'" : String.format(Locale.ROOT, "character U+%04X", (int) c);
  }

  private static IllegalArgumentException fail(String format, Object... args) {
    return new IllegalArgumentException("malformed Received field: " + String.format(Locale.ROOT, format, args));
  }
}
