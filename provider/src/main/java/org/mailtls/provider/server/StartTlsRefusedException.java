package org.mailtls.provider.server;

/**
 * STARTTLS was refused before anything was read, written or discarded: the connection is unchanged
 * and the caller answers the command with its protocol's error ({@code tag BAD} or {@code tag NO} in
 * IMAP, {@code -ERR} in POP3, {@code 503 5.5.1} in SMTP) and carries on in the current state.
 *
 * <p>A checked exception on purpose: a command loop must decide what to answer; it cannot forget
 * the case.
 */
public final class StartTlsRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why STARTTLS was refused. */
  public enum Reason {
    /**
     * A client is logged in: accepting STARTTLS now would let an attacker fix the session to an
     * account of their choosing before TLS (STL-08; RFC 3501 §6.2.1, RFC 9051 §6.2.1).
     */
    ALREADY_AUTHENTICATED,
    /** TLS is already on: there is no second negotiation (RFC 3207 §4.2, RFC 2595 §4). */
    TLS_ALREADY_ACTIVE
  }

  private final Reason reason;

  StartTlsRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why STARTTLS was refused. */
  public Reason reason() {
    return reason;
  }
}
