package org.mailtls.provider;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.jspecify.annotations.Nullable;

/**
 * A plain socket seen through a tap: the TLS bytes the server sends (read by a client, written by
 * a server) are copied to the connection's {@link GroupSniffer} until it has what it needs, so the
 * negotiated group is known on layered sockets too (STARTTLS on both sides, and every Angus Mail
 * connection, which always layers). Everything else delegates to the wrapped socket; a socket
 * layered over this one must not be connected or bound again through it.
 */
final class TappedSocket extends Socket {
  private final Socket s;
  private final boolean tapInput;
  private volatile @Nullable GroupSniffer sniffer;

  /** Taps what {@code s} reads (a client's view of the server) or writes (a server's). */
  TappedSocket(Socket s, boolean tapInput) {
    this.s = s;
    this.tapInput = tapInput;
  }

  /** Starts feeding {@code sniffer}; until then nothing is copied. */
  void attach(@Nullable GroupSniffer sniffer) {
    this.sniffer = sniffer;
  }

  @Override
  public InputStream getInputStream() throws IOException {
    InputStream in = s.getInputStream();
    if (!tapInput) {
      return in;
    }
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          see(new byte[] {(byte) b}, 0, 1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          see(b, off, n);
        }
        return n;
      }
    };
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    OutputStream out = s.getOutputStream();
    if (tapInput) {
      return out;
    }
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        see(new byte[] {(byte) b}, 0, 1);
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        see(b, off, len);
        out.write(b, off, len);
      }
    };
  }

  private void see(byte[] b, int off, int len) {
    GroupSniffer g = sniffer;
    if (g != null && !g.done()) {
      g.feed(ByteBuffer.wrap(b, off, len));
    }
  }

  @Override public void connect(SocketAddress endpoint) throws IOException { throw layered(); }
  @Override public void connect(SocketAddress endpoint, int timeout) throws IOException { throw layered(); }
  @Override public void bind(SocketAddress bindpoint) throws IOException { throw layered(); }

  private static SocketException layered() {
    return new SocketException("a tapped socket is already connected; connect the plain socket before layering");
  }

  @Override public InetAddress getInetAddress() { return s.getInetAddress(); }
  @Override public InetAddress getLocalAddress() { return s.getLocalAddress(); }
  @Override public int getPort() { return s.getPort(); }
  @Override public int getLocalPort() { return s.getLocalPort(); }
  @Override public SocketAddress getRemoteSocketAddress() { return s.getRemoteSocketAddress(); }
  @Override public SocketAddress getLocalSocketAddress() { return s.getLocalSocketAddress(); }
  @Override public @Nullable SocketChannel getChannel() { return null; } // the channel would bypass the tap
  @Override public void setTcpNoDelay(boolean on) throws SocketException { s.setTcpNoDelay(on); }
  @Override public boolean getTcpNoDelay() throws SocketException { return s.getTcpNoDelay(); }
  @Override public void setSoLinger(boolean on, int linger) throws SocketException { s.setSoLinger(on, linger); }
  @Override public int getSoLinger() throws SocketException { return s.getSoLinger(); }
  @Override public void sendUrgentData(int data) throws IOException { s.sendUrgentData(data); }
  @Override public void setOOBInline(boolean on) throws SocketException { s.setOOBInline(on); }
  @Override public boolean getOOBInline() throws SocketException { return s.getOOBInline(); }
  @Override public void setSoTimeout(int timeout) throws SocketException { s.setSoTimeout(timeout); }
  @Override public int getSoTimeout() throws SocketException { return s.getSoTimeout(); }
  @Override public void setSendBufferSize(int size) throws SocketException { s.setSendBufferSize(size); }
  @Override public int getSendBufferSize() throws SocketException { return s.getSendBufferSize(); }
  @Override public void setReceiveBufferSize(int size) throws SocketException { s.setReceiveBufferSize(size); }
  @Override public int getReceiveBufferSize() throws SocketException { return s.getReceiveBufferSize(); }
  @Override public void setKeepAlive(boolean on) throws SocketException { s.setKeepAlive(on); }
  @Override public boolean getKeepAlive() throws SocketException { return s.getKeepAlive(); }
  @Override public void setTrafficClass(int tc) throws SocketException { s.setTrafficClass(tc); }
  @Override public int getTrafficClass() throws SocketException { return s.getTrafficClass(); }
  @Override public void setReuseAddress(boolean on) throws SocketException { s.setReuseAddress(on); }
  @Override public boolean getReuseAddress() throws SocketException { return s.getReuseAddress(); }
  @Override public void close() throws IOException { s.close(); }
  @Override public void shutdownInput() throws IOException { s.shutdownInput(); }
  @Override public void shutdownOutput() throws IOException { s.shutdownOutput(); }
  @Override public boolean isConnected() { return s.isConnected(); }
  @Override public boolean isBound() { return s.isBound(); }
  @Override public boolean isClosed() { return s.isClosed(); }
  @Override public boolean isInputShutdown() { return s.isInputShutdown(); }
  @Override public boolean isOutputShutdown() { return s.isOutputShutdown(); }
  @Override public String toString() { return "TappedSocket[" + s + "]"; }
}
