package org.mailtls.provider.interop;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.provider.interop.ServerInteropImaps.Served;

/**
 * The IMAPS test server on Netty 4.2: an {@link SslHandler} whose {@link SslContext} is Netty's
 * {@link JdkSslContext} over a MailTLS server {@link SSLContext}. Netty sets its own default (or the
 * given) protocols and suites on every engine it creates; MailTLS must keep its floors anyway. Greets after the handshake,
 * answers CAPABILITY, NOOP and LOGOUT, and records every connection like {@link ServerInteropImaps}.
 */
final class ServerInteropNettyImaps implements AutoCloseable {
  final List<Served> served = new CopyOnWriteArrayList<>();
  final SslContext sslContext;

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel listener;

  private ServerInteropNettyImaps(SslContext sslContext) throws InterruptedException {
    this.sslContext = sslContext;
    ChannelInitializer<SocketChannel> init = new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(sslContext.newHandler(ch.alloc()))
            .addLast(new LineBasedFrameDecoder(8192, true, true))
            .addLast(new StringDecoder(StandardCharsets.US_ASCII))
            .addLast(new StringEncoder(StandardCharsets.US_ASCII))
            .addLast(new Imap());
      }
    };
    this.listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(init)
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  /**
   * A Netty IMAPS server over the MailTLS server context on {@code engine} (both localhost keys),
   * wrapped as in the README's Netty snippet: {@code new JdkSslContext(SSLContext.getInstance("MailTLS"),
   * false, ciphers, filter, ...)}. {@code ciphers} null lets Netty apply its own defaults.
   */
  static ServerInteropNettyImaps start(JsseEngine engine, Iterable<String> ciphers) throws Exception {
    SSLContext mailTls = ServerInteropFixtures.mailTlsServer(engine);
    return new ServerInteropNettyImaps(new JdkSslContext(mailTls, false, ciphers, IdentityCipherSuiteFilter.INSTANCE,
        ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, null, false));
  }

  /**
   * The README's other route: {@code SslContextBuilder.forServer(kmf).trustManager(tmf)
   * .sslContextProvider(provider.withTlsAlias())} with MailTLS's key and trust manager factories.
   * Netty 4.2.20 wraps every X509ExtendedTrustManager in its EnhancingX509ExtendedTrustManager before
   * {@code SSLContext.init}, which MailTLS refuses as a foreign trust manager.
   */
  static SslContext builderContext(JsseEngine engine) throws Exception {
    MailTlsProvider provider = new MailTlsProvider(engine);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", provider);
    kmf.init(ServerInteropFixtures.serverKeys(), ServerInteropFixtures.PASSWORD);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(ServerInteropFixtures.PKI.trustStore());
    return SslContextBuilder.forServer(kmf).trustManager(tmf).sslProvider(SslProvider.JDK)
        .sslContextProvider(provider.withTlsAlias()).build();
  }

  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** A fresh server-mode engine from the same Netty context: what every connection gets. */
  SSLEngine sampleEngine() {
    return sslContext.newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
  }

  /** Waits until at least {@code n} connections have ended, then returns the log. */
  List<Served> awaitServed(int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (served.size() < n && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    if (served.size() < n) {
      throw new AssertionError("the Netty server finished " + served.size() + " of " + n + " connections: " + served);
    }
    return List.copyOf(served);
  }

  @Override
  public void close() throws InterruptedException {
    listener.close().sync();
    if (!group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the Netty event loop did not stop");
    }
  }

  /** The IMAP commands; one instance per connection. */
  private final class Imap extends SimpleChannelInboundHandler<String> {
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private Throwable failure;
    private boolean recorded;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent e) {
        if (e.isSuccess()) {
          ctx.writeAndFlush("* OK [CAPABILITY IMAP4rev1] MailTLS Netty IMAPS ready\r\n");
        } else {
          failure = e.cause();
          ctx.close();
        }
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
      String[] w = line.split(" ", -1);
      String tag = w[0];
      String command = w.length > 1 ? w[1].toUpperCase(Locale.ROOT) : "";
      commands.add(command);
      switch (command) {
        case "CAPABILITY" -> ctx.writeAndFlush("* CAPABILITY IMAP4rev1\r\n" + tag + " OK CAPABILITY completed\r\n");
        case "NOOP" -> ctx.writeAndFlush(tag + " OK NOOP completed\r\n");
        case "LOGOUT" -> ctx.writeAndFlush("* BYE logging out\r\n" + tag + " OK LOGOUT completed\r\n")
            .addListener(ChannelFutureListener.CLOSE);
        default -> ctx.writeAndFlush(tag + " BAD unknown command\r\n");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null) {
        failure = cause;
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!recorded) {
        recorded = true;
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        boolean done = ssl != null && ssl.handshakeFuture().isSuccess();
        if (failure == null && ssl != null && !done) {
          failure = ssl.handshakeFuture().cause();
        }
        served.add(new Served(done ? ssl.engine().getSession() : null, List.copyOf(commands), null, failure));
      }
    }
  }
}
