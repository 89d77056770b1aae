package org.mailtls.provider.server;

import static java.nio.charset.StandardCharsets.US_ASCII;

import com.google.errorprone.annotations.Immutable;

/**
 * What {@link CleartextAuthGate#check} decided about one password login.
 *
 * <ul>
 *   <li>{@link Allowed}: the verifier accepted the credentials; the user is logged in.
 *   <li>{@link Rejected}: the verifier refused them (over TLS, or over cleartext where still allowed);
 *       answer with the protocol's usual authentication failure.
 *   <li>{@link Refused}: authentication over this cleartext channel is off for this user; the
 *       verifier was <em>not</em> called.
 * </ul>
 *
 * <p>Why {@link Refused} is built the way it is: RFC 8314 §4.1 (R8314-S-13) requires that a
 * cleartext client cannot learn whether the credentials it sent were right. A refusal therefore
 * carries nothing derived from the credentials — no user, no password, no verifier result, because
 * there is none — and the gate hands out one and the same instance for every refused login under a
 * policy. Its renderings ({@link Refused#imap}, {@link Refused#pop3}, {@link Refused#smtp}, {@link
 * Refused#manageSieve}) are byte-identical for right and wrong passwords; send those and nothing
 * else.
 */
@Immutable
public sealed interface AuthDecision permits AuthDecision.Allowed, AuthDecision.Rejected, AuthDecision.Refused {
  /** The three outcomes, for a {@code switch}. */
  enum Kind {
    /** Credentials verified. */
    ALLOWED,
    /** Credentials checked and found wrong. */
    REJECTED,
    /** Cleartext authentication off: credentials not checked. */
    REFUSED_CLEARTEXT
  }

  /** Which outcome this is. */
  Kind kind();

  /** Whether the user is authenticated. */
  default boolean isAllowed() {
    return kind() == Kind.ALLOWED;
  }

  /**
   * The verifier accepted the credentials.
   *
   * @param user the user name as given to the verifier
   */
  record Allowed(String user) implements AuthDecision {
    @Override
    public Kind kind() {
      return Kind.ALLOWED;
    }
  }

  /** The verifier refused the credentials; answer with the protocol's ordinary failure. */
  record Rejected() implements AuthDecision {
    @Override
    public Kind kind() {
      return Kind.REJECTED;
    }
  }

  /**
   * Cleartext authentication is off: the identical answer for every credential (R8314-S-13).
   *
   * @param text the human-readable refusal text of the policy ({@link CleartextAuthPolicy#refusalText()})
   */
  record Refused(String text) implements AuthDecision {
    /** Refuses a text that could break the response line (CR, LF, non-ASCII, quotes). */
    public Refused {
      CleartextAuthPolicy.checkRefusalText(text);
    }

    @Override
    public Kind kind() {
      return Kind.REFUSED_CLEARTEXT;
    }

    /**
     * IMAP: {@code tag NO [PRIVACYREQUIRED] text CRLF}. PRIVACYREQUIRED (RFC 5530 §3) tells the client
     * the operation needs TLS (STARTTLS, or the implicit-TLS port).
     */
    public byte[] imap(String tag) {
      if (tag.isEmpty() || !CleartextAuthPolicy.isPrintableAscii(tag) || tag.indexOf(' ') >= 0) {
        throw new IllegalArgumentException("not an IMAP tag: \"" + tag + "\"");
      }
      return bytes(tag + " NO [PRIVACYREQUIRED] " + text);
    }

    /** POP3: {@code -ERR [AUTH] text CRLF}; AUTH (RFC 3206 §4) covers logins refused by policy. */
    public byte[] pop3() {
      return bytes("-ERR [AUTH] " + text);
    }

    /**
     * SMTP submission: {@code 538 5.7.11 text CRLF}, "encryption required for requested authentication
     * mechanism" (RFC 4954 §6, enhanced code from RFC 5248).
     */
    public byte[] smtp() {
      return bytes("538 5.7.11 " + text);
    }

    /** ManageSieve: {@code NO (ENCRYPT-NEEDED) "text" CRLF} (RFC 5804 §1.3). */
    public byte[] manageSieve() {
      return bytes("NO (ENCRYPT-NEEDED) \"" + text + "\"");
    }

    private static byte[] bytes(String line) {
      return (line + "\r\n").getBytes(US_ASCII);
    }

    @Override
    public String toString() {
      return "Refused[cleartext authentication off]";
    }
  }
}
