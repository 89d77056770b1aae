package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.HostilePeers.MAIL_HOST;
import static org.mailtls.provider.HostilePeers.PKI;

import java.io.Closeable;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.RawHandshake.Outcome;
import org.mailtls.provider.RawHandshake.Transport;
import org.mailtls.testing.HeldCertificate;

/**
 * MailTLS in the server role: a context without key managers refuses to act as a server (no
 * certificate to offer), a MailTLS server accepts a MailTLS client (TLS-03: TLS 1.3), and it refuses
 * a raw TLS 1.1-only client (TLS-01, TLS-03: servers never answer with TLS 1.0/1.1), which a raw
 * server accepts (positive control).
 */
class ServerSideConformanceTest {
  private static final String MATRIX = "org.mailtls.provider.RawHandshake#matrix";

  private final Deque<Closeable> open = new ArrayDeque<>();

  @AfterEach
  void closeAll() {
    RawHandshake.closeAll(open);
  }

  /**
   * A client-only MailTLS context refuses every way into the server role with an
   * IllegalStateException that points to KeyManagerFactory: ENGINE: {@code createSSLEngine()} and
   * {@code createSSLEngine(host, port)} switched to server mode; SOCKET: {@code
   * getServerSocketFactory()}, a server-mode layered socket, and a client socket switched to server mode.
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_serverRoleWithoutKeyManagers_illegalState(JsseEngine engine, Transport transport) throws Exception {
    SSLContext ctx = TestServers.mailTlsClient(new MailTlsProvider(engine), PKI);
    if (transport == Transport.ENGINE) {
      assertAll(
          () -> assertNoServerKey("createSSLEngine().setUseClientMode(false)",
              () -> ctx.createSSLEngine().setUseClientMode(false)),
          () -> assertNoServerKey("createSSLEngine(host, port).setUseClientMode(false)",
              () -> ctx.createSSLEngine(MAIL_HOST, RawHandshake.ENGINE_PORT).setUseClientMode(false)));
    } else {
      assertNoServerKey("getServerSocketFactory()", ctx::getServerSocketFactory);
      try (ServerSocket listener = new ServerSocket(0, 1, RawHandshake.loopback());
          Socket plain = new Socket(RawHandshake.loopback(), listener.getLocalPort())) {
        plain.setSoTimeout(RawHandshake.TIMEOUT_MS);
        assertNoServerKey("createSocket(accepted, consumed, autoClose)",
            () -> open.push((Closeable) ctx.getSocketFactory().createSocket(plain, null, true)));
      }
      SSLSocket client = (SSLSocket) ctx.getSocketFactory().createSocket();
      open.push(client);
      assertNoServerKey("createSocket().setUseClientMode(false)", () -> client.setUseClientMode(false));
    }
  }

  /** TLS-03, R8314-C-25: a MailTLS server (TestServers.mailTlsServer) accepts a MailTLS client with TLS 1.3. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_mailTlsClientToMailTlsServer_accepted(JsseEngine engine, Transport transport) throws Exception {
    RawHandshake.Server server = mailTlsServer(engine, HostilePeers.leafFor(MAIL_HOST));

    Outcome o = RawHandshake.run(transport, RawClients.mailTls(engine, MAIL_HOST), server)
        .assertSuccess("MailTLS client against a MailTLS server");

    assertEquals("TLSv1.3", o.clientSession().getProtocol());
    TrustDecision d = MailTls.decisionOf(o.clientSession()).orElseThrow(() -> new AssertionError("no decision"));
    assertTrue(d.isAccepted(), d::message);
    if (o.firstFlight() != null) {
      ProtocolFloorConformanceTest.assertOfferObeysThePolicy(o.firstFlight());
    }
  }

  /** TLS-01, TLS-03, R8314-C-11: a MailTLS server refuses a raw client that speaks only TLS 1.1. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource(MATRIX)
  void handshake_rawTls11Client_refusedByMailTlsServer(JsseEngine engine, Transport transport) throws Exception {
    HeldCertificate leaf = HostilePeers.leafFor(MAIL_HOST);
    Outcome control = RawHandshake.run(transport, RawClients.tls11Only(MAIL_HOST), HostilePeers.serving("raw", leaf))
        .assertSuccess("positive control: raw TLS 1.1 client against a raw server");
    assertEquals("TLSv1.1", control.clientSession().getProtocol());

    Outcome o = RawHandshake.run(transport, RawClients.tls11Only(MAIL_HOST), mailTlsServer(engine, leaf));

    assertFalse(o.clientSucceeded(), () -> "the MailTLS server answered TLS 1.1: " + o.clientSession().getProtocol());
    Class<? extends SSLException> expected =
        transport == Transport.SOCKET ? SSLHandshakeException.class : SSLException.class;
    assertInstanceOf(expected, o.clientFailure(), () -> "client: " + o.clientFailure());
    // the refusal is about the version (TLS-01: protocol_version alert), not, say, a missing credential
    assertTrue(String.valueOf(o.clientFailure().getMessage()).contains("protocol_version"),
        () -> "client: " + o.clientFailure());
    assertNotNull(o.serverFailure(), "the MailTLS server did not fail the handshake");
  }

  private static void assertNoServerKey(String what, Executable serverRole) {
    IllegalStateException e = assertThrows(IllegalStateException.class, serverRole, what);
    assertTrue(String.valueOf(e.getMessage()).contains("KeyManagerFactory"), e::getMessage);
  }

  /** A MailTLS server context as a RawHandshake server: server-mode engines, or a listener on 127.0.0.1. */
  private static RawHandshake.Server mailTlsServer(JsseEngine engine, HeldCertificate leaf) throws Exception {
    SSLContext ctx = TestServers.mailTlsServer(new MailTlsProvider(engine), PKI, leaf);
    return new RawHandshake.Server() {
      @Override
      public SSLEngine engine() {
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(false);
        return e;
      }

      @Override
      public SSLServerSocket listen() throws Exception {
        return (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1, RawHandshake.loopback());
      }
    };
  }
}
