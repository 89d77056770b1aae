package org.mailtls.provider;

import org.jspecify.annotations.Nullable;
import org.mailtls.policy.TrustDecision;

/**
 * What MailTLS knows about one connection: the host it was opened to (as given, never reverse
 * resolved) and port, and, once the trust manager ran, its decision. Mutable but confined: the host
 * is set before the handshake and the decision during it, both by the thread driving the handshake.
 */
final class ConnectionContext {
  private volatile @Nullable String host;
  private volatile int port;
  private volatile @Nullable TrustDecision decision;
  private final GroupSniffer sniffer = new GroupSniffer();
  private final long id = HandshakeLog.nextId();
  private volatile boolean logged;

  ConnectionContext(@Nullable String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Nullable String host() {
    return host;
  }

  int port() {
    return port;
  }

  void bind(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Nullable TrustDecision decision() {
    return decision;
  }

  void decided(TrustDecision decision) {
    this.decision = decision;
  }

  /** This connection's id in the cipher log. */
  long id() {
    return id;
  }

  /** True the first time it is called: each connection's handshake is logged once. */
  boolean firstLog() {
    if (logged) {
      return false;
    }
    logged = true;
    return true;
  }

  /** Reads the negotiated group from the server's cleartext handshake bytes. */
  GroupSniffer sniffer() {
    return sniffer;
  }

  /** {@code host:port} for messages. */
  String peer() {
    String h = host;
    return (h == null ? "(unknown host)" : h) + (port > 0 ? ":" + port : "");
  }
}
