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
import org.jspecify.annotations.Nullable;

/**
 * An {@link SSLServerSocket} that forwards to a listening socket of the delegate engine and keeps
 * the MailTLS policy in force on it and on every socket it accepts.
 *
 * <p>Why it exists: the delegating {@code SSLContextSpi} cannot otherwise see the server sockets,
 * or the sockets accepted from them, that the delegate creates. This wrapper refuses attempts to
 * lower the floors (enabled protocols, suites and parameters pass through {@link
 * ConnectionGuard}), lets the guard apply the server floors to each accepted socket, and returns
 * it as a {@link MailTlsSocket}, which re-checks the negotiated version and suite.
 *
 * <p>The wrapper's own {@link ServerSocket} state is unused: it is built with the protected
 * no-argument constructor, which creates no descriptor, and is never bound. Every public method
 * is forwarded to the delegate; {@link #close()} closes both.
 */
final class MailTlsServerSocket extends SSLServerSocket {
  private final SSLServerSocket inner;
  private final ConnectionGuard guard;

  MailTlsServerSocket(SSLServerSocket inner, ConnectionGuard guard) throws IOException {
    super();
    this.inner = Objects.requireNonNull(inner, "inner");
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /** The delegate engine's server socket. */
  SSLServerSocket inner() {
    return inner;
  }

  /** Accepts on the delegate, applies the server floors and wraps the accepted socket. */
  @Override
  public Socket accept() throws IOException {
    SSLSocket socket = (SSLSocket) inner.accept();
    try {
      guard.prepareServerSocket(socket);
    } catch (RuntimeException e) {
      try {
        socket.close();
      } catch (IOException | RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
    return new MailTlsSocket(socket, guard);
  }

  /** Closes the (never bound) wrapper socket, then the delegate. */
  @Override
  public void close() throws IOException {
    try {
      super.close(); // first: ServerSocket.close() returns early once isClosed() says true
    } finally {
      inner.close();
    }
  }

  @Override
  public void bind(@Nullable SocketAddress endpoint) throws IOException {
    inner.bind(endpoint);
  }

  @Override
  public void bind(@Nullable SocketAddress endpoint, int backlog) throws IOException {
    inner.bind(endpoint, backlog);
  }

  @Override
  public @Nullable InetAddress getInetAddress() {
    return inner.getInetAddress();
  }

  @Override
  public int getLocalPort() {
    return inner.getLocalPort();
  }

  @Override
  public @Nullable SocketAddress getLocalSocketAddress() {
    return inner.getLocalSocketAddress();
  }

  @Override
  public boolean isBound() {
    return inner.isBound();
  }

  @Override
  public boolean isClosed() {
    return inner.isClosed();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    inner.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws IOException {
    return inner.getSoTimeout();
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    inner.setReuseAddress(on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return inner.getReuseAddress();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    inner.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return inner.getReceiveBufferSize();
  }

  @Override
  public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    inner.setPerformancePreferences(connectionTime, latency, bandwidth);
  }

  /** Sets the option on the delegate and returns this wrapper, as the contract requires. */
  @Override
  public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
    inner.setOption(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return inner.getOption(name);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return inner.supportedOptions();
  }

  @Override
  public @Nullable ServerSocketChannel getChannel() {
    return inner.getChannel();
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
