package org.mailtls.provider;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.mailtls.policy.TrustDecision;

/**
 * The MailTLS facade (Conscrypt style): MailTLS extras on standard JSSE objects, so mail code keeps
 * using only {@code javax.net.ssl} types.
 */
public final class MailTls {
  private MailTls() {}

  /**
   * The decision recorded for a connection's session ({@code socket.getSession()}, {@code
   * engine.getSession()}, or the handshake session): what matched and what was negotiated. For a
   * refused handshake there is no session; use {@link #decisionOf(Throwable)} on the exception.
   */
  public static Optional<TrustDecision> decisionOf(SSLSession session) {
    return Optional.ofNullable(SessionDecisions.find(session));
  }

  /**
   * Finds MailTLS's refusal inside an exception: engines turn a trust-manager exception into a
   * {@code certificate_unknown} alert and bury it causes deep (BCJSSE two levels).
   */
  public static Optional<TrustDecision.Refused> decisionOf(Throwable failure) {
    Deque<Throwable> todo = new ArrayDeque<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    todo.add(failure);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (t == null || seen.put(t, Boolean.TRUE) != null) {
        continue;
      }
      if (t instanceof MailTlsCertificateException) {
        return Optional.of(((MailTlsCertificateException) t).decision());
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      for (Throwable s : t.getSuppressed()) {
        todo.add(s);
      }
    }
    return Optional.empty();
  }

  /** True when {@code socket} comes from a MailTLS context. */
  public static boolean isMailTls(SSLSocket socket) {
    return socket instanceof MailTlsSocket;
  }

  /** True when {@code engine} comes from a MailTLS context. */
  public static boolean isMailTls(SSLEngine engine) {
    return engine instanceof MailTlsEngine;
  }
}
