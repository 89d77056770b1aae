package org.mailtls.provider;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * An {@link SSLEngine} that forwards to an engine of the delegate JSSE provider (BCJSSE or
 * SunJSSE) and keeps the MailTLS policy in force on it; used by non-blocking mail stacks (Netty).
 *
 * <p>Why it exists: the MailTLS {@code SSLContextSpi} delegates to another engine's context, and
 * nothing in JSSE lets it hook into the engines that context creates. The floors are applied by
 * the guard when the engine is created; this wrapper (a) refuses attempts to lower them later
 * ({@code setEnabledProtocols}, {@code setEnabledCipherSuites} and {@code setSSLParameters} pass
 * through {@link ConnectionGuard}, which throws {@link IllegalArgumentException}), (b) lets the
 * guard re-apply the role's floors when the client/server mode changes, and (c) re-checks the
 * negotiated version and suite whenever a {@code wrap} or {@code unwrap} reports {@link
 * HandshakeStatus#FINISHED}: on a violation the delegate's outbound side is closed (so the next
 * {@code wrap} produces its closure alert) and the {@link SSLHandshakeException} is thrown.
 *
 * <p>Every {@code wrap}/{@code unwrap} overload, including the convenience ones, calls the same
 * overload of the delegate, since SunJSSE and BCJSSE implement them differently. The ALPN
 * selector receives this wrapper, never the delegate engine.
 */
final class MailTlsEngine extends SSLEngine {
  private final SSLEngine inner;
  private final ConnectionGuard guard;
  private volatile @Nullable BiFunction<SSLEngine, List<String>, String> selector;

  MailTlsEngine(SSLEngine inner, ConnectionGuard guard) {
    super(inner.getPeerHost(), inner.getPeerPort());
    this.inner = inner;
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /** The delegate engine (the one the guard and the trust manager key state by). */
  SSLEngine inner() {
    return inner;
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
    return checked(() -> inner.wrap(src, dst), null, dst);
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, ByteBuffer dst) throws SSLException {
    return checked(() -> inner.wrap(srcs, dst), null, dst);
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
      throws SSLException {
    return checked(() -> inner.wrap(srcs, offset, length, dst), null, dst);
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
    return checked(() -> inner.unwrap(src, dst), src, null);
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts) throws SSLException {
    return checked(() -> inner.unwrap(src, dsts), src, null);
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
      throws SSLException {
    return checked(() -> inner.unwrap(src, dsts, offset, length), src, null);
  }

  /** One wrap or unwrap call on the inner engine. */
  @FunctionalInterface
  private interface EngineCall {
    SSLEngineResult call() throws SSLException;
  }

  /**
   * Runs {@code call}, translating a hidden MailTLS refusal ({@link Refusals}), feeds the server's
   * cleartext handshake bytes to the group sniffer (what a server wraps, what a client unwraps),
   * then re-checks.
   */
  private SSLEngineResult checked(EngineCall call, @Nullable ByteBuffer unwrapped, @Nullable ByteBuffer wrapped)
      throws SSLException {
    GroupSniffer sniffer = guard.sniffer(inner);
    boolean watch = sniffer != null && !sniffer.done()
        && (inner.getUseClientMode() ? unwrapped != null : wrapped != null);
    ByteBuffer watched = inner.getUseClientMode() ? unwrapped : wrapped;
    int before = watch ? watched.position() : 0;
    SSLEngineResult result;
    try {
      result = call.call();
    } catch (SSLException e) {
      throw Refusals.translate(e);
    }
    if (watch && watched.position() > before) {
      ByteBuffer seen = watched.duplicate();
      seen.limit(watched.position()).position(before);
      sniffer.feed(seen);
    }
    return checked(result);
  }

  /** Re-checks the negotiated parameters when {@code result} completes a handshake. */
  private SSLEngineResult checked(SSLEngineResult result) throws SSLHandshakeException {
    if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
      try {
        guard.checkNegotiated(inner, inner.getSession());
      } catch (SSLHandshakeException | RuntimeException e) {
        try {
          inner.closeOutbound();
        } catch (RuntimeException closeFailure) {
          e.addSuppressed(closeFailure);
        }
        throw e;
      }
    }
    return result;
  }

  @Override
  public @Nullable Runnable getDelegatedTask() {
    return inner.getDelegatedTask();
  }

  @Override
  public void closeInbound() throws SSLException {
    inner.closeInbound();
  }

  @Override
  public boolean isInboundDone() {
    return inner.isInboundDone();
  }

  @Override
  public void closeOutbound() {
    inner.closeOutbound();
  }

  @Override
  public boolean isOutboundDone() {
    return inner.isOutboundDone();
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
  public SSLSession getSession() {
    return inner.getSession();
  }

  @Override
  public @Nullable SSLSession getHandshakeSession() {
    return inner.getHandshakeSession();
  }

  @Override
  public void beginHandshake() throws SSLException {
    inner.beginHandshake();
  }

  @Override
  public HandshakeStatus getHandshakeStatus() {
    return inner.getHandshakeStatus();
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
  public @Nullable String getApplicationProtocol() {
    return inner.getApplicationProtocol();
  }

  @Override
  public @Nullable String getHandshakeApplicationProtocol() {
    return inner.getHandshakeApplicationProtocol();
  }

  /** Installs {@code selector} so that it is called with this wrapper, not the delegate engine. */
  @Override
  public void setHandshakeApplicationProtocolSelector(
      @Nullable BiFunction<SSLEngine, List<String>, String> selector) {
    inner.setHandshakeApplicationProtocolSelector(
        selector == null ? null : (engine, protocols) -> selector.apply(this, protocols));
    this.selector = selector;
  }

  @Override
  public @Nullable BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return selector;
  }

  @Override
  public @Nullable String getPeerHost() {
    return inner.getPeerHost();
  }

  @Override
  public int getPeerPort() {
    return inner.getPeerPort();
  }

  @Override
  public String toString() {
    return "MailTlsEngine[" + inner + "]";
  }
}
