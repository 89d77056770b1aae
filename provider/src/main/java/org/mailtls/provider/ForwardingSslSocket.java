package org.mailtls.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * The pure-forwarding half of {@link MailTlsSocket}: every public {@link Socket} method, and the
 * {@code SSLSocket} methods that carry no policy (client authentication flags, session creation,
 * negotiated ALPN value), forwarded unchanged to the delegate engine's socket.
 *
 * <p>Why it exists: a wrapping socket must override every public {@code Socket} method, because an
 * inherited one would act on the wrapper's own socket implementation, which is never created,
 * bound or connected (so it never opens a descriptor). None of the methods here touches TLS
 * policy; they live apart from the policy half ({@link MailTlsSocket}) only to keep each file
 * short. {@code connect} is not here: it records the reference host, so it belongs to the policy
 * half, as do the protocol, suite, parameter, mode, session and callback methods.
 */
abstract class ForwardingSslSocket extends SSLSocket {
  /** The delegate engine's socket; the object the guard and the trust manager key state by. */
  final SSLSocket inner;

  ForwardingSslSocket(SSLSocket inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public void bind(@Nullable SocketAddress bindpoint) throws IOException {
    inner.bind(bindpoint);
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }

  /** The delegate's stream; a failure that hides a MailTLS refusal is rethrown as one ({@link Refusals}). */
  @Override
  public InputStream getInputStream() throws IOException {
    return Refusals.input(inner.getInputStream());
  }

  /** The delegate's stream; a failure that hides a MailTLS refusal is rethrown as one ({@link Refusals}). */
  @Override
  public OutputStream getOutputStream() throws IOException {
    return Refusals.output(inner.getOutputStream());
  }

  @Override
  public void shutdownInput() throws IOException {
    inner.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    inner.shutdownOutput();
  }

  @Override
  public boolean isInputShutdown() {
    return inner.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return inner.isOutputShutdown();
  }

  @Override
  public boolean isConnected() {
    return inner.isConnected();
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
  public @Nullable InetAddress getInetAddress() {
    return inner.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return inner.getLocalAddress();
  }

  @Override
  public int getPort() {
    return inner.getPort();
  }

  @Override
  public int getLocalPort() {
    return inner.getLocalPort();
  }

  @Override
  public @Nullable SocketAddress getRemoteSocketAddress() {
    return inner.getRemoteSocketAddress();
  }

  @Override
  public @Nullable SocketAddress getLocalSocketAddress() {
    return inner.getLocalSocketAddress();
  }

  @Override
  public @Nullable SocketChannel getChannel() {
    return inner.getChannel();
  }

  @Override
  public void sendUrgentData(int data) throws IOException {
    inner.sendUrgentData(data);
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    inner.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return inner.getTcpNoDelay();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    inner.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return inner.getSoLinger();
  }

  @Override
  public void setOOBInline(boolean on) throws SocketException {
    inner.setOOBInline(on);
  }

  @Override
  public boolean getOOBInline() throws SocketException {
    return inner.getOOBInline();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    inner.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return inner.getSoTimeout();
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    inner.setSendBufferSize(size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return inner.getSendBufferSize();
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
  public void setKeepAlive(boolean on) throws SocketException {
    inner.setKeepAlive(on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return inner.getKeepAlive();
  }

  @Override
  public void setTrafficClass(int tc) throws SocketException {
    inner.setTrafficClass(tc);
  }

  @Override
  public int getTrafficClass() throws SocketException {
    return inner.getTrafficClass();
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
  public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    inner.setPerformancePreferences(connectionTime, latency, bandwidth);
  }

  /** Sets the option on the delegate socket and returns this wrapper, as the contract requires. */
  @Override
  public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
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
  public void setNeedClientAuth(boolean need) {
    inner.setNeedClientAuth(need);
  }

  @Override
  public boolean getNeedClientAuth() {
    return inner.getNeedClientAuth();
  }

  @Override
  public void setWantClientAuth(boolean want) {
    inner.setWantClientAuth(want);
  }

  @Override
  public boolean getWantClientAuth() {
    return inner.getWantClientAuth();
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
  public @Nullable String getApplicationProtocol() {
    return inner.getApplicationProtocol();
  }

  @Override
  public @Nullable String getHandshakeApplicationProtocol() {
    return inner.getHandshakeApplicationProtocol();
  }
}
