package org.mailtls.testing;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLSession;

/**
 * A misbehaving engine that is stuck in one handshake status forever, to prove the shuttle loop
 * of {@link SslEnginePair} terminates. When asked to wrap it emits one byte; when asked to unwrap
 * it swallows everything.
 */
final class FakeEngine extends SSLEngine {
  private final boolean clientMode;
  private final HandshakeStatus status;
  private final SSLSession session;

  FakeEngine(boolean clientMode, HandshakeStatus status) throws Exception {
    this.clientMode = clientMode;
    this.status = status;
    this.session = SSLContext.getDefault().createSSLEngine().getSession();
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) {
    dst.put((byte) 0x17);
    return new SSLEngineResult(Status.OK, status, 0, 1);
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) {
    int n = src.remaining();
    src.position(src.limit());
    return new SSLEngineResult(Status.OK, status, n, 0);
  }

  @Override public Runnable getDelegatedTask() { return null; }
  @Override public void closeInbound() {}
  @Override public boolean isInboundDone() { return false; }
  @Override public void closeOutbound() {}
  @Override public boolean isOutboundDone() { return false; }
  @Override public String[] getSupportedCipherSuites() { return new String[0]; }
  @Override public String[] getEnabledCipherSuites() { return new String[0]; }
  @Override public void setEnabledCipherSuites(String[] suites) {}
  @Override public String[] getSupportedProtocols() { return new String[0]; }
  @Override public String[] getEnabledProtocols() { return new String[0]; }
  @Override public void setEnabledProtocols(String[] protocols) {}
  @Override public SSLSession getSession() { return session; }
  @Override public void beginHandshake() {}
  @Override public HandshakeStatus getHandshakeStatus() { return status; }
  @Override public void setUseClientMode(boolean mode) {}
  @Override public boolean getUseClientMode() { return clientMode; }
  @Override public void setNeedClientAuth(boolean need) {}
  @Override public boolean getNeedClientAuth() { return false; }
  @Override public void setWantClientAuth(boolean want) {}
  @Override public boolean getWantClientAuth() { return false; }
  @Override public void setEnableSessionCreation(boolean flag) {}
  @Override public boolean getEnableSessionCreation() { return true; }
}
