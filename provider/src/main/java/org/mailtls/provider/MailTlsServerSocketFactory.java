package org.mailtls.provider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Objects;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SSLServerSocketFactory} of a MailTLS context: creates each listening socket with the
 * delegate engine's factory, lets the {@link ConnectionGuard} apply the server floors to it (the
 * guard refuses when the context has no server key), and hands out a {@link MailTlsServerSocket}
 * around it, which in turn guards and wraps every accepted socket.
 *
 * <p>Why it exists: a delegating {@code SSLContextSpi} has no other point at which it sees the
 * server sockets the delegate creates. The default cipher suites are the supported ones filtered
 * by the policy: the policy list is the default.
 */
final class MailTlsServerSocketFactory extends SSLServerSocketFactory {
  private final SSLServerSocketFactory delegate;
  private final SSLSocketFactory layering;
  private final ConnectionGuard guard;

  /**
   * @param delegate the engine's server socket factory (for the never-bound settings holder)
   * @param layering the engine's socket factory, which layers server-mode TLS over accepted sockets
   */
  MailTlsServerSocketFactory(SSLServerSocketFactory delegate, SSLSocketFactory layering, ConnectionGuard guard) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.layering = Objects.requireNonNull(layering, "layering");
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /** An unbound server socket; bind it through the returned wrapper. */
  @Override
  public ServerSocket createServerSocket() throws IOException {
    return wrap(new ServerSocket());
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return wrap(new ServerSocket(port));
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return wrap(new ServerSocket(port, backlog));
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, @Nullable InetAddress ifAddress)
      throws IOException {
    return wrap(new ServerSocket(port, backlog, ifAddress));
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return guard.supportedCipherSuites(delegate.getSupportedCipherSuites());
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return guard.supportedCipherSuites(delegate.getSupportedCipherSuites());
  }

  @Override
  public String toString() {
    return "MailTlsServerSocketFactory[" + delegate + "]";
  }

  private ServerSocket wrap(ServerSocket listener) throws IOException {
    SSLServerSocket inner = null;
    try {
      inner = (SSLServerSocket) delegate.createServerSocket(); // never bound: holds the TLS settings
      guard.prepareServerSocket(inner);
      return new MailTlsServerSocket(inner, listener, layering, guard);
    } catch (IOException | RuntimeException e) {
      try {
        listener.close();
        if (inner != null) {
          inner.close();
        }
      } catch (IOException | RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }
}
