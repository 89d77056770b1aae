package org.mailtls.provider.angus;

import java.util.Locale;
import org.mailtls.provider.starttls.StartTlsViolationException;

/**
 * What a server may send before TLS on a STARTTLS connection, per protocol: each complete line is
 * checked before the client sees a byte of it.
 *
 * <p>IMAP has the two rules Angus Mail 2.0.5 does not enforce by itself:
 *
 * <ul>
 *   <li>STL-06: the greeting must be {@code * OK}. {@code * PREAUTH} puts the session in the
 *       authenticated state, where STARTTLS is impossible (RFC 3501 §6.2.1); Angus answers it with
 *       {@code STARTTLS} when the greeting lists the capability, and after TLS skips LOGIN because
 *       it still believes the cleartext "authenticated" claim ({@code IMAPStore.login}: {@code if
 *       (p.isAuthenticated()) return}). {@code * BYE} is refused too, without showing its text.
 *   <li>STL-07: after the greeting only {@code * CAPABILITY} data and tagged completions without an
 *       {@code [ALERT]} code may come. Angus hands every untagged {@code OK/NO/BAD/BYE} text to {@code
 *       StoreListener}s as a NOTICE, and every {@code [ALERT]} text (tagged or not) as an ALERT
 *       ({@code IMAPStore.handleResponseCode}, through the {@code nonStoreResponseHandler} it
 *       installs before STARTTLS), where an attacker's "your account is locked, call ..." would
 *       reach the user. Continuation requests ({@code +}) have no use before TLS either.
 * </ul>
 *
 * <p>POP3 and SMTP have no such content rules; for them the guard only hands out line by line, so
 * that bytes behind the go-ahead stay in the socket, where the guard finds them when TLS starts
 * (STL-04).
 */
enum CleartextProtocol {
  IMAP {
    @Override
    void check(String line, int index) throws StartTlsViolationException {
      if (index == 0) {
        if (startsWithWords(line, "*", "PREAUTH")) {
          throw refused("STL-06", "the IMAP server greeted with PREAUTH on a cleartext connection; STARTTLS is"
              + " impossible in the authenticated state (RFC 3501 §6.2.1), so going on would mean going on"
              + " without TLS");
        }
        if (!startsWithWords(line, "*", "OK")) {
          throw refused("STL-07", "the IMAP greeting is not \"* OK\" (" + describe(line) + ")");
        }
        checkNoAlert(line);
        return;
      }
      if (line.startsWith("+")) {
        throw refused("STL-07", "the IMAP server sent a continuation request before TLS");
      }
      if (line.startsWith("*")) {
        if (!startsWithWords(line, "*", "CAPABILITY")) {
          throw refused("STL-07", "the IMAP server sent " + describe(line) + " before TLS; only CAPABILITY"
              + " data may come then");
        }
        return;
      }
      checkNoAlert(line);
    }
  },
  POP3,
  SMTP;

  /** The longest line accepted before TLS, CRLF included (RFC 7162 §4 asks IMAP for 8192 octets). */
  static final int MAX_LINE = 16 * 1024;

  /** Throws when {@code line} (without CRLF), the {@code index}-th line from the server, is not allowed. */
  void check(String line, int index) throws StartTlsViolationException {}

  static StartTlsViolationException refused(String rule, String what) {
    return new StartTlsViolationException(rule, 0, "MailTLS closed the connection before TLS: " + what + " ("
        + rule + "). Nothing received before TLS is authenticated, so it is neither acted on nor shown;"
        + " the server's text is not quoted for the same reason.");
  }

  /** Refuses an {@code [ALERT]} response code right after the status word (as Angus detects it). */
  private static void checkNoAlert(String line) throws StartTlsViolationException {
    String[] words = line.split(" ", 3);
    if (words.length == 3 && words[2].stripLeading().regionMatches(true, 0, "[ALERT]", 0, 7)) {
      throw refused("STL-07", "an IMAP [ALERT] text arrived before TLS; Angus Mail would hand it to the"
          + " application's StoreListener as an alert for the user");
    }
  }

  private static boolean startsWithWords(String line, String first, String second) {
    String[] words = line.split(" ", 3);
    return words.length >= 2 && words[0].equals(first) && words[1].equalsIgnoreCase(second);
  }

  /** "an untagged EXISTS response": the response kind, never the server's free text. */
  private static String describe(String line) {
    String[] words = line.split(" ", 4);
    String kind = words.length > 1 ? words[1] : "";
    if (!kind.isEmpty() && Character.isDigit(kind.charAt(0)) && words.length > 2) {
      kind = words[2]; // "* 5 EXISTS"
    }
    kind = kind.replaceAll("[^A-Za-z0-9-]", "");
    kind = kind.length() > 20 ? kind.substring(0, 20) : kind;
    String who = line.startsWith("*") ? "an untagged " : "a tagged ";
    return kind.isEmpty() ? who + "response" : who + kind.toUpperCase(Locale.ROOT) + " response";
  }
}
