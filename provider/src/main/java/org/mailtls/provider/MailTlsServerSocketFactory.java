package org.mailtls.provider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Objects;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
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
  private final ConnectionGuard guard;

  MailTlsServerSocketFactory(SSLServerSocketFactory delegate, ConnectionGuard guard) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /** An unbound server socket; bind it through the returned wrapper. */
  @Override
  public ServerSocket createServerSocket() throws IOException {
    return wrap(delegate.createServerSocket());
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return wrap(delegate.createServerSocket(port));
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return wrap(delegate.createServerSocket(port, backlog));
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, @Nullable InetAddress ifAddress)
      throws IOException {
    return wrap(delegate.createServerSocket(port, backlog, ifAddress));
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

  private ServerSocket wrap(ServerSocket created) throws IOException {
    SSLServerSocket inner = (SSLServerSocket) created;
    try {
      guard.prepareServerSocket(inner);
      return new MailTlsServerSocket(inner, guard);
    } catch (IOException | RuntimeException e) {
      try {
        inner.close();
      } catch (IOException | RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }
}
