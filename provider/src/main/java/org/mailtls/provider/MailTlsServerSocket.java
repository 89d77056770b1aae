package org.mailtls.provider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * An {@link SSLServerSocket} that listens on a plain socket and layers the delegate engine's TLS
 * over each accepted connection, keeping the MailTLS policy in force on every one.
 *
 * <p>Why it exists: the delegating {@code SSLContextSpi} cannot otherwise see the server sockets,
 * or the sockets accepted from them, that the delegate creates. This wrapper refuses attempts to
 * lower the floors (enabled protocols, suites and parameters pass through {@link
 * ConnectionGuard}), lets the guard apply the server floors to each accepted socket, and returns
 * it as a {@link MailTlsSocket}, which re-checks the negotiated version and suite.
 *
 * <p>Why it listens on a plain socket: layering TLS over an accepted plain socket through a
 * {@link TappedSocket} lets MailTLS read the negotiated group from the ServerHello it sends (no
 * engine exposes it; RFC 8314 §7.4's Received {@code group} clause needs it). The delegate's
 * {@link SSLServerSocket} ({@link #inner()}) is never bound: it only holds the TLS settings that
 * are copied onto each accepted socket. The wrapper's own {@link ServerSocket} state is unused too;
 * {@link #close()} closes all three.
 */
final class MailTlsServerSocket extends SSLServerSocket {
  private final SSLServerSocket inner;
  private final ServerSocket listener;
  private final SSLSocketFactory layering;
  private final ConnectionGuard guard;

  MailTlsServerSocket(SSLServerSocket inner, ServerSocket listener, SSLSocketFactory layering, ConnectionGuard guard)
      throws IOException {
    super();
    this.inner = Objects.requireNonNull(inner, "inner");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.layering = Objects.requireNonNull(layering, "layering");
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /** The delegate engine's (never bound) server socket holding the TLS settings. */
  SSLServerSocket inner() {
    return inner;
  }

  /** The plain listening socket. */
  ServerSocket listener() {
    return listener;
  }

  /**
   * Accepts a plain connection, layers the delegate's TLS over it with this server socket's
   * settings, applies the server floors and wraps the result.
   */
  @Override
  public Socket accept() throws IOException {
    Socket plain = listener.accept();
    SSLSocket socket = null;
    try {
      TappedSocket tap = new TappedSocket(plain, false);
      socket = (SSLSocket) layering.createSocket(tap, null, true);
      guard.prepareServerSocket(socket);
      socket.setSSLParameters(inner.getSSLParameters());
      socket.setEnableSessionCreation(inner.getEnableSessionCreation());
      guard.reapplyExtras(socket);
      tap.attach(guard.sniffer(socket));
      return new MailTlsSocket(socket, guard);
    } catch (IOException | RuntimeException e) {
      try {
        (socket != null ? socket : plain).close();
      } catch (IOException | RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /** Closes the (never bound) wrapper socket, the listener and the settings holder. */
  @Override
  public void close() throws IOException {
    try {
      super.close(); // first: ServerSocket.close() returns early once isClosed() says true
      listener.close();
    } finally {
      inner.close();
    }
  }

  @Override
  public void bind(@Nullable SocketAddress endpoint) throws IOException {
    listener.bind(endpoint);
  }

  @Override
  public void bind(@Nullable SocketAddress endpoint, int backlog) throws IOException {
    listener.bind(endpoint, backlog);
  }

  @Override
  public @Nullable InetAddress getInetAddress() {
    return listener.getInetAddress();
  }

  @Override
  public int getLocalPort() {
    return listener.getLocalPort();
  }

  @Override
  public @Nullable SocketAddress getLocalSocketAddress() {
    return listener.getLocalSocketAddress();
  }

  @Override
  public boolean isBound() {
    return listener.isBound();
  }

  @Override
  public boolean isClosed() {
    return listener.isClosed();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    listener.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws IOException {
    return listener.getSoTimeout();
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    listener.setReuseAddress(on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return listener.getReuseAddress();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    listener.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return listener.getReceiveBufferSize();
  }

  @Override
  public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    listener.setPerformancePreferences(connectionTime, latency, bandwidth);
  }

  /** Sets the option on the delegate and returns this wrapper, as the contract requires. */
  @Override
  public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
    listener.setOption(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return listener.getOption(name);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return listener.supportedOptions();
  }

  @Override
  public @Nullable ServerSocketChannel getChannel() {
    return listener.getChannel();
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

  @Override
  public void setNeedClientAuth(boolean need) {
    if (need) {
      guard.checkClientAuthRequest(); // refused without a certificate-to-identity mapping (R8314-S-16)
    }
    inner.setNeedClientAuth(need);
  }

  @Override
  public boolean getNeedClientAuth() {
    return inner.getNeedClientAuth();
  }

  @Override
  public void setWantClientAuth(boolean want) {
    if (want) {
      guard.checkClientAuthRequest(); // refused without a certificate-to-identity mapping (R8314-S-16)
    }
    inner.setWantClientAuth(want);
  }

  @Override
  public boolean getWantClientAuth() {
    return inner.getWantClientAuth();
  }

  /** Switches the mode of accepted sockets; the guard re-applies floors when it changed. */
  @Override
  public void setUseClientMode(boolean mode) {
    boolean before = inner.getUseClientMode();
    inner.setUseClientMode(mode);
    if (before != mode) {
      guard.modeChanged(inner, mode);
    }
  }

  @Override
  public boolean getUseClientMode() {
    return inner.getUseClientMode();
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    inner.setEnableSessionCreation(flag);
  }

  @Override
  public boolean getEnableSessionCreation() {
    return inner.getEnableSessionCreation();
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

  @Override
  public String toString() {
    return "MailTlsServerSocket[" + inner + "]";
  }
}
