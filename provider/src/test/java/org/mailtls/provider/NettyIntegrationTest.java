package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.TrustDecision;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/**
 * The README's Netty snippet: a MailTLS {@link SSLContext} wrapped in Netty's {@link JdkSslContext},
 * with engines created through {@code newHandler(alloc, host, port)} so MailTLS captures the host.
 * Netty intersects its defaults with the engine's supported lists, which MailTLS filters.
 */
class NettyIntegrationTest {
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate LEAF = PKI.leaf().addDnsName("mail.example.net").build();
  private static EventLoopGroup group;
  private static ExecutorService serverThreads;

  @BeforeAll
  static void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    serverThreads = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() throws Exception {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    serverThreads.shutdownNow();
  }

  /** The snippet from README.md. */
  static SslContext nettyClientContext(SSLContext mailTls) {
    return new JdkSslContext(mailTls, true, null, IdentityCipherSuiteFilter.INSTANCE_DEFAULTING_TO_SUPPORTED_CIPHERS,
        ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, null, false);
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void netty_rightHost_handshakeSucceeds(JsseEngine engine) throws Exception {
    Future<Channel> handshake = connect(engine, "mail.example.net");

    assertTrue(handshake.await(20, TimeUnit.SECONDS), "handshake did not finish");
    assertTrue(handshake.isSuccess(), () -> String.valueOf(handshake.cause()));
    SslHandler ssl = handshake.getNow().pipeline().get(SslHandler.class);
    assertTrue(MailTls.isMailTls(ssl.engine()));
    TrustDecision d = MailTls.decisionOf(ssl.engine().getSession()).orElseThrow();
    assertTrue(d.isAccepted(), d.message());
    handshake.getNow().close().sync();
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void netty_wrongHost_refusedByMailTls(JsseEngine engine) throws Exception {
    Future<Channel> handshake = connect(engine, "imap.example.org");

    assertTrue(handshake.await(20, TimeUnit.SECONDS), "handshake did not finish");
    assertFalse(handshake.isSuccess());
    TrustDecision.Refused d = MailTls.decisionOf(handshake.cause()).orElseThrow(() -> new AssertionError(handshake.cause()));
    assertEquals("R7817-C-01", d.rule());
  }

  private Future<Channel> connect(JsseEngine engine, String host) throws Exception {
    SSLServerSocket server = (SSLServerSocket) TestServers.rawServer(LEAF).getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    serverThreads.submit(() -> {
      try (server; SSLSocket s = (SSLSocket) server.accept()) {
        s.setSoTimeout(10_000);
        s.startHandshake();
        s.getInputStream().read();
      }
      return null;
    });
    SslContext ssl = nettyClientContext(TestServers.mailTlsClient(new MailTlsProvider(engine), PKI));
    int port = server.getLocalPort();
    Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            c.pipeline().addLast(ssl.newHandler(c.alloc(), host, port));
            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // the handshake future carries the failure; keep the log quiet
              }
            });
          }
        })
        .connect(InetAddress.getLoopbackAddress(), port).sync().channel();
    return ch.pipeline().get(SslHandler.class).handshakeFuture();
  }
}
