package org.mailtls.provider.angus;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The plain {@code SocketFactory} {@link AngusProperties} gives Angus Mail as {@code
 * mail.<protocol>.socketFactory} for STARTTLS: every socket is a {@link CleartextPhaseSocket}.
 *
 * <p>Angus 2.0.5 ({@code SocketFetcher.createSocket}) calls {@link #createSocket()} for a factory
 * that is not an {@code SSLSocketFactory} and connects the socket itself; the other overloads are
 * here for other callers. It is deliberately not an {@code SSLSocketFactory}: Angus would then
 * start TLS at once (implicit TLS) instead of speaking the cleartext phase first.
 */
final class CleartextPhaseSocketFactory extends SocketFactory {
  private final CleartextProtocol protocol;

  CleartextPhaseSocketFactory(CleartextProtocol protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  CleartextProtocol protocol() {
    return protocol;
  }

  @Override
  public Socket createSocket() {
    return new CleartextPhaseSocket(protocol);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new CleartextPhaseSocket(protocol), new InetSocketAddress(host, port), null, 0);
  }

  @Override
  public Socket createSocket(String host, int port, @Nullable InetAddress localHost, int localPort) throws IOException {
    return connected(new CleartextPhaseSocket(protocol), new InetSocketAddress(host, port), localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new CleartextPhaseSocket(protocol), new InetSocketAddress(host, port), null, 0);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, @Nullable InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new CleartextPhaseSocket(protocol), new InetSocketAddress(address, port), localAddress,
        localPort);
  }

  @Override
  public String toString() {
    return "MailTLS cleartext-phase guard for " + protocol + " STARTTLS";
  }

  private static Socket connected(Socket s, InetSocketAddress remote, @Nullable InetAddress local, int localPort)
      throws IOException {
    try {
      if (local != null || localPort != 0) {
        s.bind(new InetSocketAddress(local, localPort));
      }
      s.connect(remote);
      return s;
    } catch (IOException | RuntimeException e) {
      try {
        s.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }
}
