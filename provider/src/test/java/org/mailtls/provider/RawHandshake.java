package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.provider.Arguments;
import org.mailtls.testing.ClientHello;
import org.mailtls.testing.Direction;
import org.mailtls.testing.HandshakeResult;
import org.mailtls.testing.SslEnginePair;

/**
 * Runs one client against one server over a {@link Transport}: in memory ({@link SslEnginePair},
 * with the client's first flight captured) or over loopback TCP (a listening {@link SSLServerSocket}
 * on 127.0.0.1, port 0, served by one executor thread that accepts one connection, handshakes and
 * closes). Every blocking call is bounded by {@link #TIMEOUT_MS}; nothing sleeps.
 *
 * <p>Socket clients take one of two paths, chosen by the reference host: {@code "localhost"} is
 * connected with {@code createSocket("localhost", port)}; any other host (there is no DNS for it)
 * connects a plain {@link Socket} to 127.0.0.1 and layers TLS over it with {@code createSocket(plain,
 * host, port, true)}, the STARTTLS path.
 */
final class RawHandshake {
  static final int TIMEOUT_MS = 10_000;
  /** The port engines are created for (IMAPS); sockets use the real loopback port. */
  static final int ENGINE_PORT = 993;

  /** How the two sides are connected. */
  enum Transport { ENGINE, SOCKET }

  /** A server side: a server-mode engine, or a listening socket bound to 127.0.0.1, port 0. */
  interface Server {
    SSLEngine engine() throws Exception;

    SSLServerSocket listen() throws Exception;
  }

  /**
   * A client side: a context, the reference host, optional protocol/suite restrictions applied with
   * {@code setSSLParameters}, and optional hooks run on the engine or socket before the handshake.
   */
  record Client(SSLContext context, String host, String[] protocols, String[] suites,
      Consumer<SSLEngine> engineHook, Consumer<SSLSocket> socketHook) {
    static Client of(SSLContext context, String host) {
      return new Client(context, host, null, null, e -> { }, s -> { });
    }

    Client restrictedTo(String[] protocols, String[] suites) {
      return new Client(context, host, protocols, suites, engineHook, socketHook);
    }

    Client withHooks(Consumer<SSLEngine> engineHook, Consumer<SSLSocket> socketHook) {
      return new Client(context, host, protocols, suites, engineHook, socketHook);
    }

    SSLEngine engine() {
      SSLEngine e = context.createSSLEngine(host, ENGINE_PORT);
      e.setUseClientMode(true);
      if (protocols != null || suites != null) {
        e.setSSLParameters(restrict(e.getSSLParameters(), protocols, suites));
      }
      engineHook.accept(e);
      return e;
    }

    /** Connects to 127.0.0.1:{@code port}; every socket opened is pushed on {@code open}. */
    SSLSocket connect(int port, Deque<Closeable> open) throws IOException {
      SSLSocket s;
      if ("localhost".equals(host)) {
        s = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
      } else {
        Socket plain = new Socket();
        open.push(plain);
        plain.connect(new InetSocketAddress(loopback(), port), TIMEOUT_MS);
        plain.setSoTimeout(TIMEOUT_MS);
        s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
      }
      open.push(s);
      s.setSoTimeout(TIMEOUT_MS);
      if (protocols != null || suites != null) {
        s.setSSLParameters(restrict(s.getSSLParameters(), protocols, suites));
      }
      socketHook.accept(s);
      return s;
    }
  }

  /**
   * What happened: the client's negotiated session (null unless the client succeeded), each side's
   * failure, and (ENGINE only) the client's first flight.
   */
  record Outcome(Transport transport, SSLSession clientSession, Throwable clientFailure,
      Throwable serverFailure, ClientHello firstFlight) {
    boolean clientSucceeded() {
      return clientFailure == null && clientSession != null;
    }

    /** Fails unless both sides finished the handshake; names both failures. */
    Outcome assertSuccess(String what) {
      if (clientFailure != null || serverFailure != null) {
        AssertionError e = new AssertionError(what + " over " + transport + " failed; client: " + clientFailure
            + "; server: " + serverFailure, clientFailure != null ? clientFailure : serverFailure);
        if (clientFailure != null && serverFailure != null) {
          e.addSuppressed(serverFailure);
        }
        throw e;
      }
      assertNotNull(clientSession, what + ": no client session");
      return this;
    }
  }

  private RawHandshake() {}

  /** The cross product JsseEngine × Transport, for {@code @MethodSource}. */
  static Stream<Arguments> matrix() {
    return Stream.of(JsseEngine.values())
        .flatMap(e -> Stream.of(Transport.values()).map(t -> Arguments.of(e, t)));
  }

  /** 127.0.0.1, never ::1 and never a name lookup. */
  static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A MailTLS-or-raw client socket layered (STARTTLS) over a plain TCP connection to a loopback
   * listener that never answers: for API tests that need a connected socket but no handshake.
   */
  static SSLSocket layeredOverLoopback(SSLContext ctx, String host, Deque<Closeable> open) throws IOException {
    ServerSocket listener = new ServerSocket(0, 1, loopback());
    open.push(listener);
    Socket plain = new Socket();
    open.push(plain);
    plain.connect(new InetSocketAddress(loopback(), listener.getLocalPort()), TIMEOUT_MS);
    plain.setSoTimeout(TIMEOUT_MS);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, listener.getLocalPort(), true);
    open.push(s);
    s.setSoTimeout(TIMEOUT_MS);
    return s;
  }

  static SSLParameters restrict(SSLParameters p, String[] protocols, String[] suites) {
    if (protocols != null) {
      p.setProtocols(protocols);
    }
    if (suites != null) {
      p.setCipherSuites(suites);
    }
    return p;
  }

  static Outcome run(Transport transport, Client client, Server server) throws Exception {
    return transport == Transport.ENGINE ? runEngines(client, server) : runSockets(client, server);
  }

  private static Outcome runEngines(Client client, Server server) throws Exception {
    SslEnginePair pair = SslEnginePair.of(client.engine(), server.engine());
    AtomicReference<ByteBuffer> first = new AtomicReference<>();
    pair.setRecordListener((direction, bytes) -> {
      if (direction == Direction.CLIENT_TO_SERVER) {
        first.compareAndSet(null, bytes);
      }
    });
    HandshakeResult r = pair.handshake();
    ClientHello hello = first.get() == null ? null : ClientHello.parse(first.get());
    SSLSession session = r.clientFailure() == null ? pair.clientSession() : null;
    pair.close();
    return new Outcome(Transport.ENGINE, session, r.clientFailure(), r.serverFailure(), hello);
  }

  /**
   * The server thread reports its handshake outcome before it closes its socket, and the client is
   * closed only then: a TLS 1.3 server's close waits (up to its timeout) for the client's
   * close_notify, so closing in the other order would stall every test for the timeout.
   */
  private static Outcome runSockets(Client client, Server server) throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    Deque<Closeable> open = new ArrayDeque<>();
    SSLServerSocket listening = server.listen();
    try {
      listening.setSoTimeout(TIMEOUT_MS);
      CompletableFuture<Throwable> handshook = new CompletableFuture<>();
      Future<?> served = executor.submit(() -> serveOne(listening, handshook));
      SSLSession session = null;
      Throwable clientFailure = null;
      try {
        SSLSocket socket = client.connect(listening.getLocalPort(), open);
        socket.startHandshake();
        session = socket.getSession();
      } catch (IOException | RuntimeException e) {
        clientFailure = e;
        closeAll(open); // the server sees the alert or EOF at once, never its timeout
      }
      Throwable serverFailure = handshook.get(2L * TIMEOUT_MS, TimeUnit.MILLISECONDS);
      closeAll(open);
      served.get(2L * TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return new Outcome(Transport.SOCKET, session, clientFailure, serverFailure, null);
    } finally {
      closeAll(open);
      listening.close();
      executor.shutdownNow();
      if (!executor.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("server thread did not stop");
      }
    }
  }

  /** Accepts one connection and handshakes; reports the failure or null, then closes. */
  private static void serveOne(SSLServerSocket listening, CompletableFuture<Throwable> handshook) {
    try (SSLSocket s = (SSLSocket) listening.accept()) {
      s.setSoTimeout(TIMEOUT_MS);
      try {
        s.startHandshake();
        handshook.complete(null);
      } catch (IOException | RuntimeException e) {
        handshook.complete(e);
      }
    } catch (IOException | RuntimeException e) {
      handshook.complete(e); // no effect when the handshake outcome is already reported
    }
  }

  static void closeAll(Deque<Closeable> open) {
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (IOException e) {
        // best effort: the test's outcome is already recorded
      }
    }
  }
}
