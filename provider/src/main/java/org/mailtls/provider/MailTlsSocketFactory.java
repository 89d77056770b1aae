package org.mailtls.provider;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SSLSocketFactory} of a MailTLS context: creates each socket with the delegate
 * engine's factory, lets the {@link ConnectionGuard} apply the policy floors and record the
 * reference host on that inner socket, and hands out a {@link MailTlsSocket} around it.
 *
 * <p>Why it exists: a delegating {@code SSLContextSpi} has no other point at which it sees the
 * sockets the delegate creates, so this factory is where per-connection policy starts. The guard
 * always runs before the wrapper is returned, so no caller ever holds an unguarded socket, and no
 * handshake can start before the floors are in place (the delegate's sockets handshake lazily).
 *
 * <p>Reference host: for the {@code String} overloads (including the layered STARTTLS overload)
 * it is the host exactly as the caller gave it; a null host is refused, because there is nothing
 * to check the server certificate against. For the {@link InetAddress} overloads it is always
 * {@link InetAddress#getHostAddress()}, i.e. the connection is checked against an IP-ID: a host
 * name an {@code InetAddress} may carry is never used, so no reverse DNS lookup can ever take place
 * and a name resolved by someone else can never become the reference identity. {@link
 * #createSocket()} returns an unconnected socket; its reference host is recorded when it is
 * connected (see {@link MailTlsSocket#connect(java.net.SocketAddress, int)}).
 *
 * <p>The default cipher suites are the supported ones filtered by the policy: the policy list is
 * the default.
 */
final class MailTlsSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final ConnectionGuard guard;

  MailTlsSocketFactory(SSLSocketFactory delegate, ConnectionGuard guard) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /** An unconnected client socket; {@code connect} records the reference host. */
  @Override
  public Socket createSocket() throws IOException {
    return client((SSLSocket) delegate.createSocket(), null, 0);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    requireHost(host);
    return client((SSLSocket) delegate.createSocket(host, port), host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    requireHost(host);
    return client((SSLSocket) delegate.createSocket(host, port, localHost, localPort), host, port);
  }

  /** Connects to {@code address}; the connection is checked against its IP address (IP-ID). */
  @Override
  public Socket createSocket(InetAddress address, int port) throws IOException {
    requireAddress(address);
    return client((SSLSocket) delegate.createSocket(address, port), address.getHostAddress(), port);
  }

  /** As {@link #createSocket(InetAddress, int)}, from a given local address and port. */
  @Override
  public Socket createSocket(
      InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    requireAddress(address);
    SSLSocket inner = (SSLSocket) delegate.createSocket(address, port, localAddress, localPort);
    return client(inner, address.getHostAddress(), port);
  }

  /**
   * Layers TLS over a connected socket (STARTTLS); {@code host} is the reference host.
   *
   * <p>Refuses, and closes {@code s} whatever {@code autoClose} says, when {@code s} already holds
   * unread bytes from the server: after the go-ahead a server sends nothing before the client's
   * ClientHello, so they can only be injected (STL-04, see {@link UnreadCleartextCheck}).
   *
   * @throws org.mailtls.provider.starttls.StartTlsViolationException for unread input (an {@code
   *     SSLException} whose message names STL-04 and the byte count)
   */
  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose)
      throws IOException {
    requireHost(host);
    UnreadCleartextCheck.refuseUnreadInput(s, host, port);
    TappedSocket tap = new TappedSocket(s, true);
    Socket socket = client((SSLSocket) delegate.createSocket(tap, host, port, autoClose), host, port);
    tap.attach(guard.sniffer(((MailTlsSocket) socket).inner()));
    return socket;
  }

  /**
   * Layers a server-mode TLS socket over an accepted socket whose first bytes were already read
   * ({@code consumed}); the guard applies the server floors.
   */
  @Override
  public Socket createSocket(Socket s, @Nullable InputStream consumed, boolean autoClose)
      throws IOException {
    TappedSocket tap = new TappedSocket(s, false);
    SSLSocket inner = (SSLSocket) delegate.createSocket(tap, consumed, autoClose);
    try {
      guard.prepareServerSocket(inner);
    } catch (RuntimeException e) {
      closeAfter(inner, e);
      throw e;
    }
    tap.attach(guard.sniffer(inner));
    return new MailTlsSocket(inner, guard);
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
    return "MailTlsSocketFactory[" + delegate + "]";
  }

  private Socket client(SSLSocket inner, @Nullable String host, int port) {
    try {
      guard.prepareClientSocket(inner, host, port);
    } catch (RuntimeException e) {
      closeAfter(inner, e);
      throw e;
    }
    return new MailTlsSocket(inner, guard);
  }

  private static void requireHost(@Nullable String host) {
    if (host == null) {
      throw new IllegalArgumentException(
          "host must not be null: it is the reference identity the server certificate is checked"
              + " against");
    }
  }

  private static void requireAddress(@Nullable InetAddress address) {
    if (address == null) {
      throw new IllegalArgumentException("address must not be null");
    }
  }

  private static void closeAfter(SSLSocket inner, RuntimeException failure) {
    try {
      inner.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
