package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.SslEnginePair;
import org.mailtls.testing.TestPki;

/**
 * The negotiated group, which no engine exposes, read from the server's cleartext handshake bytes
 * on both sides of a connection (RFC 8314 §7.4 `group` clause; R8314-S-17): TLS 1.3 ServerHello
 * key_share and TLS 1.2 ServerKeyExchange, both engines.
 */
class NegotiatedGroupTest {
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate LEAF = PKI.leaf().addDnsName("mail.example.net").build();

  static Stream<Arguments> enginesAndProtocols() {
    return Stream.of(JsseEngine.values()).flatMap(e -> Stream.of("TLSv1.3", "TLSv1.2").map(p -> Arguments.of(e, p)));
  }

  private static SslEnginePair mailTlsBothSides(JsseEngine engine, MailTlsPolicy clientPolicy, String protocol)
      throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    SSLContext client = TestServers.mailTlsClient(p, PKI, org.mailtls.policy.AccountPolicy.builder("a")
        .addEndpoint(org.mailtls.policy.MailEndpoint.of("mail.example.net", org.mailtls.policy.identity.MailService.IMAPS))
        .build(), clientPolicy);
    SSLEngine c = client.createSSLEngine("mail.example.net", 993);
    c.setUseClientMode(true);
    c.setEnabledProtocols(new String[] {protocol});
    SSLEngine s = TestServers.mailTlsServer(p, PKI, LEAF).createSSLEngine();
    s.setUseClientMode(false);
    return SslEnginePair.of(c, s);
  }

  /** Default preferences: x25519, seen by the client and by the server. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("enginesAndProtocols")
  void handshake_defaults_x25519OnBothSides(JsseEngine engine, String protocol) throws Exception {
    SslEnginePair pair = mailTlsBothSides(engine, MailTlsPolicy.strict(), protocol);

    pair.handshake().assertSuccess();

    assertEquals(protocol, pair.clientSession().getProtocol());
    assertEquals("x25519", MailTls.negotiatedGroup(pair.clientSession()).orElse("(unknown)"));
    assertEquals("x25519", MailTls.negotiatedGroup(pair.serverSession()).orElse("(unknown)"));
    String clause = MailTls.receivedClause(pair.serverSession()).render();
    assertEquals("tls " + pair.serverSession().getCipherSuite() + " group x25519", clause);
    assertEquals(clause, org.mailtls.policy.received.ReceivedClauseParser.parse(
        "from a.example by b.example " + clause + "; Mon, 30 Nov 2026 03:55:00 +0000").orElseThrow().render());
  }

  /**
   * A client preferring secp384r1 (BCJSSE narrows groups per connection; secp256r1 stays offered because
   * BCJSSE also requires the P-256 certificate's curve among the groups): the capture follows it.
   */
  @ParameterizedTest(name = "BCJSSE {1}")
  @MethodSource("enginesAndProtocols")
  void handshake_clientOffersOnlySecp384r1_capturedAsSuch(JsseEngine engine, String protocol) throws Exception {
    if (engine != JsseEngine.BCJSSE) {
      return; // SunJSSE on JDK 17 cannot narrow groups per connection (README)
    }
    SslEnginePair pair = mailTlsBothSides(engine, MailTlsPolicy.builder().namedGroups(List.of("secp384r1", "secp256r1")).build(),
        protocol);

    pair.handshake().assertSuccess();

    assertEquals("secp384r1", MailTls.negotiatedGroup(pair.clientSession()).orElse("(unknown)"));
    assertEquals("secp384r1", MailTls.negotiatedGroup(pair.serverSession()).orElse("(unknown)"));
  }

  /**
   * Layered sockets (STARTTLS on both sides; Angus always layers): the plain socket is tapped, so
   * both ends know the group.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("enginesAndProtocols")
  void layeredSockets_groupKnownOnBothSides(JsseEngine engine, String protocol) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    SSLContext serverCtx = TestServers.mailTlsServer(p, PKI, LEAF);
    SSLContext clientCtx = TestServers.mailTlsClient(p, PKI);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      java.util.concurrent.Future<String> serverGroup = pool.submit(() -> {
        try (java.net.Socket plain = listener.accept();
            javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) serverCtx.getSocketFactory()
                .createSocket(plain, null, true)) {
          tls.setSoTimeout(10_000);
          tls.startHandshake();
          String g = MailTls.negotiatedGroup(tls.getSession()).orElse("(unknown)");
          tls.getInputStream().read();
          return g;
        }
      });
      try (java.net.Socket plain = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort());
          javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) clientCtx.getSocketFactory()
              .createSocket(plain, "mail.example.net", listener.getLocalPort(), true)) {
        tls.setSoTimeout(10_000);
        tls.setEnabledProtocols(new String[] {protocol});
        tls.startHandshake();
        assertEquals("x25519", MailTls.negotiatedGroup(tls.getSession()).orElse("(unknown)"), "client side");
        tls.getOutputStream().write(1);
        tls.getOutputStream().flush();
        assertEquals("x25519", serverGroup.get(20, java.util.concurrent.TimeUnit.SECONDS), "server side");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Server sockets from getServerSocketFactory(): accept() layers over a tapped plain socket. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("enginesAndProtocols")
  void serverSocketFactory_groupKnownOnAcceptedSocket(JsseEngine engine, String protocol) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    SSLContext serverCtx = TestServers.mailTlsServer(p, PKI, LEAF);
    SSLContext clientCtx = TestServers.mailTlsClient(p, PKI);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (javax.net.ssl.SSLServerSocket listener = (javax.net.ssl.SSLServerSocket) serverCtx.getServerSocketFactory()
        .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      java.util.concurrent.Future<String> serverGroup = pool.submit(() -> {
        try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) listener.accept()) {
          tls.setSoTimeout(10_000);
          tls.startHandshake();
          String g = MailTls.negotiatedGroup(tls.getSession()).orElse("(unknown)");
          tls.getInputStream().read();
          return g;
        }
      });
      try (java.net.Socket plain = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort());
          javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) clientCtx.getSocketFactory()
              .createSocket(plain, "mail.example.net", listener.getLocalPort(), true)) {
        tls.setSoTimeout(10_000);
        tls.setEnabledProtocols(new String[] {protocol});
        tls.startHandshake();
        tls.getOutputStream().write(1);
        tls.getOutputStream().flush();
        assertEquals("x25519", serverGroup.get(20, java.util.concurrent.TimeUnit.SECONDS));
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("server side failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Never a guess: an unknown code point has no name. */
  @org.junit.jupiter.api.Test
  void nameOf_unknownCodePoint_empty() {
    assertTrue(GroupSniffer.nameOf(0x7777).isEmpty());
    assertEquals("X25519MLKEM768", GroupSniffer.nameOf(0x11EC).orElseThrow());
  }
}
