package org.mailtls.provider.server;

/**
 * Where a server-side mail session stands: is the channel TLS, and has the client authenticated?
 *
 * <p>Why a value and not two loose booleans: STARTTLS is legal in exactly one of the four states,
 * and mixing the flags up is how servers ended up accepting STARTTLS after LOGIN (the session
 * fixation of Citadel CVE-2021-37845 and IPswitch IMail CVE-2021-37846: an attacker logs the victim
 * into the attacker's account in cleartext, and the victim's mail then lands there). RFC 3501 §6.2.1
 * and RFC 9051 §6.2.1 allow STARTTLS only in the not-authenticated state; RFC 3207 §4.2 and RFC 2595
 * §4 forbid a second TLS negotiation. Requirement STL-08.
 */
public enum ServerSessionState {
  /** Cleartext channel, no one logged in: the only state that permits STARTTLS. */
  PLAIN_UNAUTHENTICATED(false, false),
  /** Cleartext channel after a successful login (legacy): STARTTLS is refused. */
  PLAIN_AUTHENTICATED(false, true),
  /** TLS (implicit, or after STARTTLS), no one logged in yet. */
  TLS_UNAUTHENTICATED(true, false),
  /** TLS, logged in. */
  TLS_AUTHENTICATED(true, true);

  private final boolean tls;
  private final boolean authenticated;

  ServerSessionState(boolean tls, boolean authenticated) {
    this.tls = tls;
    this.authenticated = authenticated;
  }

  /** The state of a fresh connection: implicit TLS port or cleartext (STARTTLS) port. */
  public static ServerSessionState initial(boolean implicitTls) {
    return implicitTls ? TLS_UNAUTHENTICATED : PLAIN_UNAUTHENTICATED;
  }

  /** Whether the channel is protected by TLS. */
  public boolean isTls() {
    return tls;
  }

  /** Whether a client has authenticated on this connection. */
  public boolean isAuthenticated() {
    return authenticated;
  }

  /** Whether STARTTLS / STLS may be accepted now (STL-08; RFC 3207 §4.2). */
  public boolean permitsStartTls() {
    return this == PLAIN_UNAUTHENTICATED;
  }

  /** The state after a successful login. */
  public ServerSessionState afterAuthentication() {
    return tls ? TLS_AUTHENTICATED : PLAIN_AUTHENTICATED;
  }

  /**
   * The state after a completed STARTTLS. Always unauthenticated: RFC 3207 §4.2 tells the server to
   * discard everything it learnt from the client before TLS (such as the EHLO argument).
   */
  public ServerSessionState afterStartTls() {
    if (!permitsStartTls()) {
      throw new IllegalStateException("STARTTLS is not permitted in state " + this);
    }
    return TLS_UNAUTHENTICATED;
  }
}
