package org.mailtls.testing;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Two {@link SSLEngine}s, one in client mode and one in server mode, connected in memory.
 *
 * <p>Runs real TLS handshakes without sockets or threads: records are shuttled between the
 * engines in the calling thread and delegated tasks run inline, so any JSSE provider (SunJSSE,
 * BCJSSE, a wrapping provider under test) can be exercised deterministically and fast. Not
 * thread-safe; one pair serves one connection.
 */
public final class SslEnginePair {
  /** Upper bound of shuttle rounds before {@link #handshake()} reports a stall. */
  public static final int MAX_ROUNDS = 1000;

  private final Endpoint client;
  private final Endpoint server;
  private HandshakeResult result;

  private SslEnginePair(SSLEngine client, SSLEngine server) {
    Endpoint.Pipe clientToServer = new Endpoint.Pipe();
    Endpoint.Pipe serverToClient = new Endpoint.Pipe();
    this.client = new Endpoint(client, Direction.CLIENT_TO_SERVER, clientToServer, serverToClient);
    this.server = new Endpoint(server, Direction.SERVER_TO_CLIENT, serverToClient, clientToServer);
  }

  /**
   * Connects a client-mode engine to a server-mode engine.
   *
   * @throws IllegalArgumentException if either is null, they are the same engine, or the modes
   *     are not client and server respectively
   */
  public static SslEnginePair of(SSLEngine client, SSLEngine server) {
    if (client == null || server == null || client == server) {
      throw new IllegalArgumentException("need two distinct engines: " + client + ", " + server);
    }
    if (!client.getUseClientMode()) {
      throw new IllegalArgumentException("client engine is not in client mode: " + client);
    }
    if (server.getUseClientMode()) {
      throw new IllegalArgumentException("server engine is in client mode: " + server);
    }
    return new SslEnginePair(client, server);
  }

  /** The client-mode engine, e.g. to read {@code getSession()} after the handshake. */
  public SSLEngine client() {
    return client.engine;
  }

  /** The server-mode engine. */
  public SSLEngine server() {
    return server.engine;
  }

  /** The client engine's session; after a successful handshake, the negotiated one. */
  public SSLSession clientSession() {
    return client.engine.getSession();
  }

  /** The server engine's session; after a successful handshake, the negotiated one. */
  public SSLSession serverSession() {
    return server.engine.getSession();
  }

  /** Observes every wrapped network buffer from now on; null removes the listener. */
  public void setRecordListener(RecordListener listener) {
    client.listener = listener;
    server.listener = listener;
  }

  /**
   * Runs the initial handshake to completion, including post-handshake messages such as TLS 1.3
   * NewSessionTicket, and reports the outcome. Never throws for a TLS failure: when one side fails
   * its alert is still delivered, so the peer's reaction is recorded too. Gives up after
   * {@link #MAX_ROUNDS} rounds, or as soon as neither engine can make progress.
   *
   * @throws IllegalStateException if called more than once
   */
  public HandshakeResult handshake() {
    if (result != null) {
      throw new IllegalStateException("handshake() already ran: " + result);
    }
    client.begin();
    server.begin();
    int rounds = 0;
    while (true) {
      if (client.failure == null && server.failure == null && client.isIdle() && server.isIdle()) {
        result = new HandshakeResult(true, null, null, rounds);
        return result;
      }
      boolean progress = false;
      if (rounds < MAX_ROUNDS) {
        rounds++;
        progress = client.step() | server.step();
      }
      if (!progress) {
        result = failed(rounds);
        return result;
      }
    }
  }

  private HandshakeResult failed(int rounds) {
    if (client.failure == null && server.failure == null) {
      String why = rounds >= MAX_ROUNDS ? "did not complete within " + rounds + " rounds"
          : "stalled after " + rounds + " rounds";
      boolean blameBoth = client.isIdle() == server.isIdle();
      if (blameBoth || !client.isIdle()) {
        client.failure = stall(why, client);
      }
      if (blameBoth || !server.isIdle()) {
        server.failure = stall(why, server);
      }
    }
    return new HandshakeResult(false, client.failure, server.failure, rounds);
  }

  private static SSLException stall(String why, Endpoint side) {
    return new SSLException("handshake " + why + "; this engine's status is "
        + side.engine.getHandshakeStatus() + ", inboundDone=" + side.engine.isInboundDone()
        + ", outboundDone=" + side.engine.isOutboundDone());
  }

  /**
   * Sends {@code data} from client to server after a successful handshake and returns all
   * application data the server has unwrapped and not yet returned.
   *
   * @throws SSLException if either engine fails while the data is moved
   */
  public byte[] sendClientToServer(byte[] data) throws SSLException {
    return send(client, server, data);
  }

  /**
   * Sends {@code data} from server to client after a successful handshake and returns all
   * application data the client has unwrapped and not yet returned.
   *
   * @throws SSLException if either engine fails while the data is moved
   */
  public byte[] sendServerToClient(byte[] data) throws SSLException {
    return send(server, client, data);
  }

  private byte[] send(Endpoint from, Endpoint to, byte[] data) throws SSLException {
    if (data == null) {
      throw new IllegalArgumentException("data must not be null");
    }
    if (result == null || !result.success()) {
      throw new IllegalStateException("no successful handshake to send over: " + result);
    }
    from.wrapAll(ByteBuffer.wrap(data));
    settle();
    Throwable failure = from.failure != null ? from.failure : to.failure;
    if (failure != null) {
      throw new SSLException("engine failed while moving application data", failure);
    }
    return to.takeAppData();
  }

  /**
   * Closes both engines' outbound sides and delivers the close_notify alerts to the peers.
   * Best effort: failures while closing are ignored. Idempotent.
   */
  public void close() {
    client.engine.closeOutbound();
    server.engine.closeOutbound();
    settle();
  }

  /** Lets both engines act until neither makes progress (bounded). */
  private void settle() {
    for (int i = 0; i < MAX_ROUNDS && (client.step() | server.step()); i++) {
      // keep shuttling
    }
  }
}
