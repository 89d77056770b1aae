package org.mailtls.provider;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * What the socket, server-socket and engine wrappers ask of the MailTLS context: apply the policy
 * floors to each delegate object the engine creates, remember the reference host per connection,
 * refuse attempts to lower the floors, and re-check what was negotiated.
 *
 * <p>Every method receives the delegate's own ("inner") object, never a wrapper: the engine hands
 * the inner object to the trust manager, so per-connection state is keyed by it.
 */
interface ConnectionGuard {

  /**
   * Applies the floors to a client-mode socket and records the host it was opened to. {@code host}
   * is null when the socket is not connected yet ({@code createSocket()} then {@code connect()});
   * the wrapper then calls {@link #bindHost} from {@code connect}.
   */
  void prepareClientSocket(SSLSocket inner, @Nullable String host, int port);

  /** Applies the floors to a server-mode socket (one returned by {@code accept()}). */
  void prepareServerSocket(SSLSocket inner);

  /** Applies the floors to a listening server socket; fails when the context has no server key. */
  void prepareServerSocket(SSLServerSocket inner);

  /** Applies the floors to an engine created with {@code createSSLEngine(host, port)} or without a host. */
  void prepareEngine(SSLEngine inner, @Nullable String host, int port);

  /**
   * Records the reference host of a socket or engine that learns it late: {@code connect(address)}
   * on an unconnected socket ({@code InetSocketAddress.getHostString()}, never a reverse lookup).
   * Also sets SNI for it.
   */
  void bindHost(Object inner, String host, int port);

  /**
   * Called when the caller switches a socket or engine between client and server mode, so the
   * floors for the new role are applied (a server role needs a server key).
   */
  void modeChanged(Object inner, boolean clientMode);

  /**
   * Returns the protocols to enable, or throws {@link IllegalArgumentException} naming the rule
   * when {@code requested} is not a non-empty subset of the policy (TLS-01, TLS-03).
   */
  String[] checkEnabledProtocols(String[] requested);

  /** As {@link #checkEnabledProtocols} for cipher suites (TLS-12..TLS-18). */
  String[] checkEnabledCipherSuites(String[] requested);

  /**
   * Returns the parameters to hand to the delegate: {@code requested} with null fields meaning
   * "unchanged", checked like the two methods above; throws {@link IllegalArgumentException} on a
   * lowering attempt. Re-setting the current values is accepted.
   */
  SSLParameters checkParameters(SSLParameters requested);

  /**
   * Applies engine-specific extras after the delegate accepted new parameters (BCJSSE named groups
   * and signature schemes are reset by {@code setSSLParameters}).
   */
  void reapplyExtras(Object inner);

  /**
   * Called before a caller asks for client certificates ({@code setNeedClientAuth(true)} or
   * {@code setWantClientAuth(true)}); throws {@link IllegalArgumentException} when the server has
   * no certificate-to-identity mapping (RFC 8314 §4.2, R8314-S-16).
   */
  default void checkClientAuthRequest() {}

  /**
   * The group sniffer of {@code inner}'s connection, fed by the wrappers with the server's
   * cleartext handshake bytes (no engine exposes the negotiated group); null when none is kept.
   */
  default @Nullable GroupSniffer sniffer(Object inner) {
    return null;
  }

  /** Filters the delegate's supported protocols to those the policy allows. */
  String[] supportedProtocols(String[] delegateSupported);

  /** Filters the delegate's supported cipher suites to those the policy allows. */
  String[] supportedCipherSuites(String[] delegateSupported);

  /**
   * Re-checks the negotiated version and suite of a finished handshake of {@code inner} (defence
   * in depth), and throws {@link SSLHandshakeException} naming the rule when they break the
   * policy. For a client it also settles the session's decision: a resumed session (the trust
   * manager was not called) has its server identity checked again, and a PINNED session is
   * invalidated so it is never resumed and its pin is consulted on every handshake.
   */
  void checkNegotiated(Object inner, SSLSession session) throws SSLHandshakeException;
}
