package org.mailtls.provider;

import com.google.common.collect.MapMaker;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-connection state keyed by the engine's inner socket or engine object (what the engine hands
 * the trust manager), and by handshake session (what callers hold afterwards). Weak, identity-based
 * keys: an entry disappears with its socket, engine or session.
 */
final class ConnectionRegistry {
  private final ConcurrentMap<Object, ConnectionContext> byConnection = new MapMaker().weakKeys().makeMap();
  private final ConcurrentMap<Object, ConnectionContext> bySession = new MapMaker().weakKeys().makeMap();

  /** Returns the context of {@code inner}, creating an empty one if there is none. */
  ConnectionContext contextOf(Object inner) {
    return byConnection.computeIfAbsent(inner, k -> new ConnectionContext(null, 0));
  }

  /** The context of {@code inner}, or null when MailTLS did not create it (fail closed upstream). */
  @Nullable ConnectionContext find(Object inner) {
    return byConnection.get(inner);
  }

  /** Registers a fresh connection. */
  ConnectionContext register(Object inner, @Nullable String host, int port) {
    ConnectionContext c = new ConnectionContext(host, port);
    byConnection.put(inner, c);
    return c;
  }

  /** Links a session object to its connection so the facade can find the decision from the session. */
  void linkSession(Object session, ConnectionContext context) {
    bySession.put(session, context);
  }

  /** The context linked to {@code session}, if any. */
  @Nullable ConnectionContext findBySession(Object session) {
    return bySession.get(session);
  }
}
