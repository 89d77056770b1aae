package org.mailtls.provider.server;

import javax.net.ssl.SSLContext;
import org.mailtls.provider.MailTlsProvider;

/**
 * Whether a server may list {@code STARTTLS} (IMAP, SMTP, ManageSieve) or {@code STLS} (POP3) in its
 * capabilities.
 *
 * <p>Why: RFC 8314 §4 asks servers not to advertise STARTTLS when using it is likely to fail, for
 * example when no certificate is configured (requirement R8314-S-04). A client that sees STARTTLS,
 * sends it and then fails the handshake learns nothing useful, and one configured for
 * "opportunistic" TLS may fall back to cleartext. So STARTTLS is advertised only over a MailTLS
 * context that holds a server key: such a context hands out a server socket factory, while one
 * without a server key, or one not initialised, throws {@link IllegalStateException}. Contexts of
 * other providers are never vouched for: their floors are not MailTLS's.
 *
 * <p>After TLS is on, or after a login, STARTTLS is not advertised either (RFC 3207 §4.2: a server
 * must not return the STARTTLS extension after the TLS handshake; RFC 3501 §6.2.1: STARTTLS only in
 * the not-authenticated state; STL-08).
 */
public final class StartTlsAdvertisement {
  private StartTlsAdvertisement() {}

  /** Whether {@code context} is a MailTLS context that can serve TLS (has a server key). */
  public static boolean mayAdvertise(SSLContext context) {
    if (!(context.getProvider() instanceof MailTlsProvider)) {
      return false;
    }
    try {
      context.getServerSocketFactory();
      return true;
    } catch (IllegalStateException e) {
      return false; // no server key, or not initialised
    }
  }

  /** As {@link #mayAdvertise(SSLContext)}, and only in a state that permits STARTTLS. */
  public static boolean mayAdvertise(SSLContext context, ServerSessionState state) {
    return state.permitsStartTls() && mayAdvertise(context);
  }
}
