package org.mailtls.provider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * An {@link SSLSocket} that forwards to a socket of the delegate engine (BCJSSE or SunJSSE) and
 * keeps the MailTLS policy in force on it.
 *
 * <p>Why it exists: the MailTLS {@code SSLContextSpi} delegates to another engine's context, and
 * nothing in JSSE lets it hook into the sockets that context creates. So every socket is wrapped,
 * and the wrapper (a) refuses attempts to lower the floors later ({@code setEnabledProtocols},
 * {@code setEnabledCipherSuites} and {@code setSSLParameters} pass through {@link ConnectionGuard}
 * first, which throws {@link IllegalArgumentException}), (b) records the reference host when an
 * unconnected socket is connected ({@link InetSocketAddress#getHostString()}, never a reverse
 * lookup), and (c) re-checks the negotiated version and suite after {@link #startHandshake()} and
 * in {@link #getSession()}. The floors themselves are applied by {@link MailTlsSocketFactory} and
 * {@link MailTlsServerSocket} before a wrapper is handed out.
 *
 * <p>Streams: {@link #getInputStream()} and {@link #getOutputStream()} return the delegate's
 * streams. A handshake that the first read or write starts implicitly is not re-checked here; the
 * MailTLS trust manager, which the delegate calls during every handshake, enforces the policy on
 * that path, and the post-handshake re-check is defence in depth.
 *
 * <p>Callbacks see this wrapper, never the delegate's socket: {@link HandshakeCompletedEvent}s
 * name this wrapper as their socket, and the ALPN selector receives this wrapper. The methods
 * without policy (the plain {@code java.net.Socket} ones among them) are forwarded by {@link
 * ForwardingSslSocket}.
 */
final class MailTlsSocket extends ForwardingSslSocket {
  /** The cipher suite of the "null session" JSSE returns when no handshake has succeeded. */
  static final String NULL_CIPHER_SUITE = "SSL_NULL_WITH_NULL_NULL";

  private final ConnectionGuard guard;
  /** Caller's listener to the adapter registered with the delegate; guarded by itself. */
  private final Map<HandshakeCompletedListener, HandshakeCompletedListener> listeners =
      new HashMap<>();
  private volatile @Nullable BiFunction<SSLSocket, List<String>, String> selector;
  /** The last session {@link #checkNegotiated} accepted, so getSession() checks each one once. */
  private volatile @Nullable SSLSession checkedSession;

  MailTlsSocket(SSLSocket inner, ConnectionGuard guard) {
    super(inner);
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /** The delegate engine's socket (the one the guard and the trust manager key state by). */
  SSLSocket inner() {
    return inner;
  }

  /** Records the reference host with the guard, then connects the delegate socket. */
  @Override
  public void connect(@Nullable SocketAddress endpoint) throws IOException {
    bindHost(endpoint, 0);
    inner.connect(endpoint);
  }

  /** As {@link #connect(SocketAddress)}, with a connect timeout. */
  @Override
  public void connect(@Nullable SocketAddress endpoint, int timeout) throws IOException {
    bindHost(endpoint, timeout);
    inner.connect(endpoint, timeout);
  }

  private void bindHost(@Nullable SocketAddress endpoint, int timeout) throws SocketException {
    if (!(endpoint instanceof InetSocketAddress)) {
      throw new IllegalArgumentException("connect: unsupported address type: "
          + (endpoint == null ? "null" : endpoint.getClass().getName()));
    }
    if (timeout < 0) {
      throw new IllegalArgumentException("connect: timeout can't be negative: " + timeout);
    }
    // Never rebind the reference host of a live (or dead) connection: the delegate would refuse
    // the connect only after the guard had recorded the new host.
    if (inner.isClosed()) {
      throw new SocketException("Socket is closed");
    }
    if (inner.isConnected()) {
      throw new SocketException("already connected");
    }
    InetSocketAddress address = (InetSocketAddress) endpoint;
    guard.bindHost(inner, address.getHostString(), address.getPort());
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return guard.supportedCipherSuites(inner.getSupportedCipherSuites());
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return inner.getEnabledCipherSuites();
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {
    if (suites == null) {
      throw new IllegalArgumentException("cipher suites must not be null");
    }
    inner.setEnabledCipherSuites(guard.checkEnabledCipherSuites(suites));
  }

  @Override
  public String[] getSupportedProtocols() {
    return guard.supportedProtocols(inner.getSupportedProtocols());
  }

  @Override
  public String[] getEnabledProtocols() {
    return inner.getEnabledProtocols();
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {
    if (protocols == null) {
      throw new IllegalArgumentException("protocols must not be null");
    }
    inner.setEnabledProtocols(guard.checkEnabledProtocols(protocols));
  }

  /**
   * Returns the delegate's session after re-checking what it negotiated. JSSE callers do not
   * expect exceptions here, so a session that breaks the policy is not thrown at the caller:
   * the socket is closed and the session is returned {@linkplain SSLSession#invalidate()
   * invalidated}, so any later read or write fails and the session cannot be resumed.
   */
  @Override
  public SSLSession getSession() {
    SSLSession session = inner.getSession();
    if (session == null || session == checkedSession
        || NULL_CIPHER_SUITE.equals(session.getCipherSuite())) {
      return session;
    }
    try {
      guard.checkNegotiated(inner, session);
      checkedSession = session;
    } catch (SSLHandshakeException | RuntimeException e) {
      session.invalidate();
      closeAfter(e);
    }
    return session;
  }

  @Override
  public @Nullable SSLSession getHandshakeSession() {
    return inner.getHandshakeSession();
  }

  /** Registers an adapter with the delegate that reports this wrapper as the event's socket. */
  @Override
  public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    synchronized (listeners) {
      HandshakeCompletedListener adapter = listeners.computeIfAbsent(listener, l -> event ->
          l.handshakeCompleted(new HandshakeCompletedEvent(this, event.getSession())));
      inner.addHandshakeCompletedListener(adapter);
    }
  }

  @Override
  public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    synchronized (listeners) {
      HandshakeCompletedListener adapter = listeners.get(listener);
      if (adapter == null) {
        throw new IllegalArgumentException("listener not registered");
      }
      inner.removeHandshakeCompletedListener(adapter);
      listeners.remove(listener);
    }
  }

  /**
   * Runs the delegate's handshake, then re-checks the negotiated version and suite; on a
   * violation the socket is closed and the {@link SSLHandshakeException} is rethrown.
   */
  @Override
  public void startHandshake() throws IOException {
    try {
      inner.startHandshake();
    } catch (IOException e) {
      throw Refusals.translate(e);
    }
    SSLSession session = inner.getSession();
    try {
      guard.checkNegotiated(inner, session);
      checkedSession = session;
    } catch (SSLHandshakeException | RuntimeException e) {
      closeAfter(e);
      throw e;
    }
  }

  /**
   * Switches the delegate's mode and, when the mode actually changed, lets the guard apply the
   * floors of the new role (re-applying on a no-op call would discard stricter caller settings).
   */
  @Override
  public void setUseClientMode(boolean mode) {
    boolean before = inner.getUseClientMode();
    if (!mode) {
      // A server role needs a server key: checked before switching, and every time, because
      // SunJSSE engines start in server mode (so "no change" can still mean "server").
      guard.modeChanged(inner, false);
    }
    inner.setUseClientMode(mode);
    if (mode && !before) {
      guard.modeChanged(inner, true);
    }
  }

  @Override
  public boolean getUseClientMode() {
    return inner.getUseClientMode();
  }

  @Override
  public SSLParameters getSSLParameters() {
    return inner.getSSLParameters();
  }

  @Override
  public void setSSLParameters(SSLParameters params) {
    inner.setSSLParameters(guard.checkParameters(params));
    guard.reapplyExtras(inner);
  }

  /** Installs {@code selector} so that it is called with this wrapper, not the delegate socket. */
  @Override
  public void setHandshakeApplicationProtocolSelector(
      @Nullable BiFunction<SSLSocket, List<String>, String> selector) {
    inner.setHandshakeApplicationProtocolSelector(
        selector == null ? null : (socket, protocols) -> selector.apply(this, protocols));
    this.selector = selector;
  }

  @Override
  public @Nullable BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return selector;
  }

  @Override
  public String toString() {
    return "MailTlsSocket[" + inner + "]";
  }

  /** Closes the delegate socket after {@code failure}, attaching any close failure to it. */
  private void closeAfter(Exception failure) {
    try {
      inner.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Refused without a certificate-to-identity mapping (R8314-S-16). */
  @Override
  public void setNeedClientAuth(boolean need) {
    if (need) {
      guard.checkClientAuthRequest();
    }
    inner.setNeedClientAuth(need);
  }

  /** Refused without a certificate-to-identity mapping (R8314-S-16). */
  @Override
  public void setWantClientAuth(boolean want) {
    if (want) {
      guard.checkClientAuthRequest();
    }
    inner.setWantClientAuth(want);
  }
}
