package org.mailtls.provider;

import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.TrustDecision;

/**
 * Stores a connection's decision on its session (as an application-layer session value), so the
 * facade can answer from the session alone. Both engines keep values put on the handshake session
 * on the final session; the registry is the fallback for callers holding the socket or engine.
 */
final class SessionDecisions {
  /** The session value name; namespaced so it cannot collide with an application's own. */
  static final String KEY = "org.mailtls.decision";

  private SessionDecisions() {}

  static void record(SSLSession session, TrustDecision decision) {
    try {
      session.putValue(KEY, decision);
    } catch (RuntimeException e) {
      // A session that refuses values (a null session) just has no recorded decision.
    }
  }

  /** The session value name of the negotiated group's IANA name. */
  static final String GROUP_KEY = "org.mailtls.group";

  static void recordId(SSLSession session, long id) {
    try {
      session.putValue(HandshakeLog.ID_KEY, id);
    } catch (RuntimeException e) {
      // as for decisions
    }
  }

  static void recordGroup(SSLSession session, String group) {
    try {
      session.putValue(GROUP_KEY, group);
    } catch (RuntimeException e) {
      // as for decisions
    }
  }

  static @Nullable String findGroup(SSLSession session) {
    try {
      Object v = session.getValue(GROUP_KEY);
      return v instanceof String ? (String) v : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  static @Nullable TrustDecision find(SSLSession session) {
    Object v;
    try {
      v = session.getValue(KEY);
    } catch (RuntimeException e) {
      return null;
    }
    return v instanceof TrustDecision ? (TrustDecision) v : null;
  }
}
