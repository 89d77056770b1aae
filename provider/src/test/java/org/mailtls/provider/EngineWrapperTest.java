package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.SocketWrapperTest.single;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.mailtls.provider.RecordingGuardWrapperTest.Call;
import org.mailtls.provider.RecordingGuardWrapperTest.RecordingGuard;
import org.mailtls.provider.RecordingGuardWrapperTest.Tls;
import org.mailtls.testing.HandshakeResult;
import org.mailtls.testing.SslEnginePair;

/** {@link MailTlsEngine} over real SunJSSE engines (in memory) and over a scripted engine. */
final class EngineWrapperTest {
  private final RecordingGuard clientGuard = new RecordingGuard();
  private final RecordingGuard serverGuard = new RecordingGuard();

  @Test
  void pairOfWrappedEnginesHandshakesAndCarriesData() throws Exception {
    MailTlsEngine client = clientEngine();
    MailTlsEngine server = serverEngine();
    SslEnginePair pair = SslEnginePair.of(client, server);
    pair.handshake().assertSuccess();
    byte[] hello = "a1 NOOP\r\n".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(hello, pair.sendClientToServer(hello));
    assertArrayEquals(hello, pair.sendServerToClient(hello));
    assertEquals("TLSv1.3", pair.clientSession().getProtocol());
    for (RecordingGuard guard : List.of(clientGuard, serverGuard)) {
      List<Call> checks = guard.calls("checkNegotiated");
      assertFalse(checks.isEmpty(), "checkNegotiated was not called");
      for (Call check : checks) {
        assertEquals("TLSv1.3", check.args().get(0));
      }
    }
    pair.close();
  }

  @Test
  void alpnSelectorReceivesTheWrapperEngine() throws Exception {
    MailTlsEngine client = clientEngine();
    MailTlsEngine server = serverEngine();
    SSLParameters params = client.getSSLParameters();
    params.setApplicationProtocols(new String[] {"smtp", "imap"});
    client.setSSLParameters(params);
    AtomicReference<SSLEngine> seen = new AtomicReference<>();
    BiFunction<SSLEngine, List<String>, String> selector = (engine, offered) -> {
      seen.set(engine);
      return offered.contains("imap") ? "imap" : null;
    };
    server.setHandshakeApplicationProtocolSelector(selector);
    assertSame(selector, server.getHandshakeApplicationProtocolSelector());

    SslEnginePair.of(client, server).handshake().assertSuccess();
    assertSame(server, seen.get());
    assertEquals("imap", client.getApplicationProtocol());
    assertEquals("imap", server.getApplicationProtocol());
  }

  @Test
  void violationAfterTheHandshakeClosesOutboundAndThrows() throws Exception {
    clientGuard.failNegotiated = true;
    MailTlsEngine client = clientEngine();
    HandshakeResult result = SslEnginePair.of(client, serverEngine()).handshake();
    assertFalse(result.success());
    assertInstanceOf(SSLHandshakeException.class, result.clientFailure());
    assertTrue(result.clientFailure().getMessage().contains("test guard refuses"));
    assertTrue(client.inner().isOutboundDone(), "the delegate's outbound side was not closed");
    assertEquals("TLSv1.3", single(clientGuard.calls("checkNegotiated")).args().get(0));
  }

  @Test
  void refusedSettingsThrowAndLeaveTheDelegateUnchanged() throws Exception {
    MailTlsEngine engine = clientEngine();
    String[] protocols = engine.inner().getEnabledProtocols();
    String[] suites = engine.inner().getEnabledCipherSuites();
    assertThrows(IllegalArgumentException.class,
        () -> engine.setEnabledProtocols(new String[] {"TLSv1.1"}));
    assertThrows(IllegalArgumentException.class,
        () -> engine.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA"}));
    SSLParameters lowering = engine.getSSLParameters();
    lowering.setCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_NULL_SHA256"});
    assertThrows(IllegalArgumentException.class, () -> engine.setSSLParameters(lowering));
    assertArrayEquals(protocols, engine.inner().getEnabledProtocols());
    assertArrayEquals(suites, engine.inner().getEnabledCipherSuites());
    assertTrue(clientGuard.calls("reapplyExtras").isEmpty());

    engine.setEnabledProtocols(new String[] {"TLSv1.3"});
    assertArrayEquals(new String[] {"TLSv1.3"}, engine.inner().getEnabledProtocols());
    engine.setSSLParameters(engine.getSSLParameters());
    assertSame(engine.inner(), single(clientGuard.calls("reapplyExtras")).target());
  }

  @Test
  void supportedListsAreFilteredByTheGuard() throws Exception {
    MailTlsEngine engine = clientEngine();
    assertTrue(Arrays.asList(engine.inner().getSupportedProtocols()).contains("TLSv1.1"));
    assertEquals(RecordingGuard.PROTOCOLS, Set.of(engine.getSupportedProtocols()));
    assertTrue(RecordingGuard.SUITES.containsAll(Set.of(engine.getSupportedCipherSuites())));
  }

  @Test
  void peerHostAndPortComeFromTheDelegate() throws Exception {
    MailTlsEngine engine = clientEngine();
    assertEquals("localhost", engine.getPeerHost());
    assertEquals(465, engine.getPeerPort());
    assertTrue(engine.toString().startsWith("MailTlsEngine["), engine::toString);
  }

  @Test
  void modeChangesReachTheGuardOnlyWhenTheModeChanges() throws Exception {
    MailTlsEngine engine = clientEngine();
    engine.setUseClientMode(true);
    assertTrue(clientGuard.calls("modeChanged").isEmpty());
    engine.setUseClientMode(false);
    Call change = single(clientGuard.calls("modeChanged"));
    assertSame(engine.inner(), change.target());
    assertEquals(List.of(false), change.args());
  }

  /** Each overload must reach the delegate's same overload, and FINISHED must trigger the check. */
  @Test
  void everyWrapAndUnwrapOverloadForwardsAndChecksFinishedHandshakes() throws Exception {
    ByteBuffer buf = ByteBuffer.allocate(16);
    ByteBuffer[] bufs = {ByteBuffer.allocate(16)};
    List<EngineCall> overloads = List.of(
        e -> e.wrap(buf, buf), e -> e.wrap(bufs, buf), e -> e.wrap(bufs, 0, 1, buf),
        e -> e.unwrap(buf, buf), e -> e.unwrap(buf, bufs), e -> e.unwrap(buf, bufs, 0, 1));
    List<String> names = List.of("wrap(src,dst)", "wrap(srcs,dst)", "wrap(srcs,off,len,dst)",
        "unwrap(src,dst)", "unwrap(src,dsts)", "unwrap(src,dsts,off,len)");
    for (int i = 0; i < overloads.size(); i++) {
      ScriptedEngine quiet = new ScriptedEngine(HandshakeStatus.NOT_HANDSHAKING);
      overloads.get(i).call(new MailTlsEngine(quiet, clientGuard));
      assertEquals(List.of(names.get(i)), quiet.calls);
      assertTrue(clientGuard.calls("checkNegotiated").isEmpty());

      // The scripted session is the null session ("NONE"), which the test policy refuses.
      ScriptedEngine finished = new ScriptedEngine(HandshakeStatus.FINISHED);
      MailTlsEngine wrapper = new MailTlsEngine(finished, clientGuard);
      EngineCall call = overloads.get(i);
      assertThrows(SSLHandshakeException.class, () -> call.call(wrapper));
      assertEquals(List.of(names.get(i), "closeOutbound"), finished.calls);
      assertEquals(1, clientGuard.calls("checkNegotiated").size());
      clientGuard.calls.clear();
    }
  }

  private MailTlsEngine clientEngine() throws Exception {
    SSLEngine inner = Tls.get().client.createSSLEngine("localhost", 465);
    inner.setUseClientMode(true);
    clientGuard.prepareEngine(inner, "localhost", 465);
    return new MailTlsEngine(inner, clientGuard);
  }

  private MailTlsEngine serverEngine() throws Exception {
    SSLEngine inner = Tls.get().server.createSSLEngine();
    inner.setUseClientMode(false);
    serverGuard.prepareEngine(inner, null, -1);
    return new MailTlsEngine(inner, serverGuard);
  }

  @FunctionalInterface
  private interface EngineCall {
    SSLEngineResult call(SSLEngine engine) throws SSLException;
  }

  /** An engine that records which overload was called and reports a fixed handshake status. */
  private static final class ScriptedEngine extends SSLEngine {
    final List<String> calls = new ArrayList<>();
    private final HandshakeStatus status;
    private final SSLSession nullSession;

    ScriptedEngine(HandshakeStatus status) throws Exception {
      this.status = status;
      this.nullSession = Tls.get().client.createSSLEngine().getSession();
    }

    private SSLEngineResult result(String call) {
      calls.add(call);
      return new SSLEngineResult(Status.OK, status, 0, 0);
    }

    @Override public SSLEngineResult wrap(ByteBuffer s, ByteBuffer d) {
      return result("wrap(src,dst)");
    }
    @Override public SSLEngineResult wrap(ByteBuffer[] s, ByteBuffer d) {
      return result("wrap(srcs,dst)");
    }
    @Override public SSLEngineResult wrap(ByteBuffer[] s, int o, int l, ByteBuffer d) {
      return result("wrap(srcs,off,len,dst)");
    }
    @Override public SSLEngineResult unwrap(ByteBuffer s, ByteBuffer d) {
      return result("unwrap(src,dst)");
    }
    @Override public SSLEngineResult unwrap(ByteBuffer s, ByteBuffer[] d) {
      return result("unwrap(src,dsts)");
    }
    @Override public SSLEngineResult unwrap(ByteBuffer s, ByteBuffer[] d, int o, int l) {
      return result("unwrap(src,dsts,off,len)");
    }
    @Override public SSLSession getSession() {
      return nullSession;
    }
    @Override public void closeOutbound() {
      calls.add("closeOutbound");
    }
    @Override public Runnable getDelegatedTask() {
      return null;
    }
    @Override public void closeInbound() {}
    @Override public boolean isInboundDone() {
      return false;
    }
    @Override public boolean isOutboundDone() {
      return false;
    }
    @Override public String[] getSupportedCipherSuites() {
      return new String[0];
    }
    @Override public String[] getEnabledCipherSuites() {
      return new String[0];
    }
    @Override public void setEnabledCipherSuites(String[] suites) {}
    @Override public String[] getSupportedProtocols() {
      return new String[0];
    }
    @Override public String[] getEnabledProtocols() {
      return new String[0];
    }
    @Override public void setEnabledProtocols(String[] protocols) {}
    @Override public void beginHandshake() {}
    @Override public HandshakeStatus getHandshakeStatus() {
      return status;
    }
    @Override public void setUseClientMode(boolean mode) {}
    @Override public boolean getUseClientMode() {
      return true;
    }
    @Override public void setNeedClientAuth(boolean need) {}
    @Override public boolean getNeedClientAuth() {
      return false;
    }
    @Override public void setWantClientAuth(boolean want) {}
    @Override public boolean getWantClientAuth() {
      return false;
    }
    @Override public void setEnableSessionCreation(boolean flag) {}
    @Override public boolean getEnableSessionCreation() {
      return true;
    }
  }
}
