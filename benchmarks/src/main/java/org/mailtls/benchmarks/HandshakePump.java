package org.mailtls.benchmarks;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Drives a client engine and a server engine through a handshake in the calling thread, in memory,
 * with as little overhead as possible: four preallocated heap buffers reused for every handshake,
 * delegated tasks run inline, no listeners and no result objects. Used instead of the testing
 * module's {@code SslEnginePair}, which records results and copies records for listeners.
 *
 * <p>{@link #run} returns when both engines are {@code NOT_HANDSHAKING} and nothing is left in
 * flight, so post-handshake messages (the TLS 1.3 NewSessionTicket) are sent and processed too. It
 * throws {@link Failure} naming the side whose engine failed; a stall also throws.
 *
 * <p>Each engine call (including delegated tasks) is timed with {@code System.nanoTime()} into the
 * client or the server share, which costs about 25 ns per call, a few dozen calls per handshake.
 *
 * <p>With {@link #inspect(boolean)} on, every record the server writes is shown to a {@link
 * WireInspector} before the client reads it (an array copy of the plaintext handshake bytes, no
 * allocation), which says whether the handshake was resumed and which group was negotiated.
 */
final class HandshakePump {
  /** More than any flight of these handshakes; an overflow is reported, never silently grown. */
  private static final int BUFFER_SIZE = 1 << 17;
  private static final int MAX_ROUNDS = 500;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final ByteBuffer clientToServer = ByteBuffer.allocate(BUFFER_SIZE);
  private final ByteBuffer serverToClient = ByteBuffer.allocate(BUFFER_SIZE);
  private final ByteBuffer clientApp = ByteBuffer.allocate(BUFFER_SIZE);
  private final ByteBuffer serverApp = ByteBuffer.allocate(BUFFER_SIZE);
  private final WireInspector wire = new WireInspector();
  private boolean inspect;

  /** Client and server nanoseconds of the last {@link #run}. */
  long clientNanos;
  long serverNanos;

  /** Turns record inspection on or off (off in the measured path unless a benchmark needs it). */
  HandshakePump inspect(boolean on) {
    this.inspect = on;
    return this;
  }

  /** What the last run's server flight showed; only meaningful with inspection on. */
  WireInspector wire() {
    return wire;
  }

  /** An engine failure, with the side it happened on. */
  static final class Failure extends SSLException {
    private static final long serialVersionUID = 1L;
    final boolean client;

    Failure(boolean client, Throwable cause) {
      super((client ? "client" : "server") + " engine failed: " + cause, cause);
      this.client = client;
    }
  }

  /**
   * Runs the whole handshake of two fresh engines ({@code client} in client mode, {@code server} in
   * server mode).
   *
   * @throws Failure when an engine throws, or the handshake stalls
   */
  void run(SSLEngine client, SSLEngine server) throws Failure {
    clientToServer.clear();
    serverToClient.clear();
    if (inspect) {
      wire.reset();
    }
    long cn;
    long sn;
    long t0 = System.nanoTime();
    try {
      client.beginHandshake();
    } catch (SSLException | RuntimeException e) {
      throw new Failure(true, e);
    }
    long t1 = System.nanoTime();
    try {
      server.beginHandshake();
    } catch (SSLException | RuntimeException e) {
      throw new Failure(false, e);
    }
    long t2 = System.nanoTime();
    cn = t1 - t0;
    sn = t2 - t1;
    int rounds = 0;
    while (true) {
      long a = System.nanoTime();
      boolean progress;
      try {
        progress = step(client, serverToClient, clientToServer, clientApp, false);
      } catch (SSLException | RuntimeException e) {
        throw new Failure(true, e);
      }
      long b = System.nanoTime();
      try {
        progress |= step(server, clientToServer, serverToClient, serverApp, true);
      } catch (SSLException | RuntimeException e) {
        throw new Failure(false, e);
      }
      long c = System.nanoTime();
      cn += b - a;
      sn += c - b;
      if (idle(client, serverToClient) && idle(server, clientToServer)) {
        break;
      }
      if (!progress || ++rounds > MAX_ROUNDS) {
        boolean clientStuck = !idle(client, serverToClient);
        throw new Failure(clientStuck, new SSLException("handshake " + (progress ? "did not finish in " + MAX_ROUNDS
            + " rounds" : "stalled") + ": client " + client.getHandshakeStatus() + " with " + serverToClient.position()
            + " bytes to read, server " + server.getHandshakeStatus() + " with " + clientToServer.position()
            + " bytes to read"));
      }
    }
    clientNanos = cn;
    serverNanos = sn;
  }

  private static boolean idle(SSLEngine e, ByteBuffer in) {
    return e.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && in.position() == 0;
  }

  /** One thing {@code e} needs: tasks, a wrap into {@code out}, or an unwrap of {@code in}. */
  private boolean step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer app, boolean server)
      throws SSLException {
    HandshakeStatus before = e.getHandshakeStatus();
    SSLEngineResult r;
    switch (before) {
      case NEED_TASK:
        for (Runnable task = e.getDelegatedTask(); task != null; task = e.getDelegatedTask()) {
          task.run();
        }
        return true;
      case NEED_WRAP:
        int start = out.position();
        r = e.wrap(EMPTY, out);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
          throw new IllegalStateException("a " + BUFFER_SIZE + "-byte network buffer is too small: " + r);
        }
        if (server && inspect && r.bytesProduced() > 0) {
          wire.serverRecords(out.array(), out.arrayOffset() + start, out.arrayOffset() + out.position());
        }
        break;
      default: // NEED_UNWRAP, NEED_UNWRAP_AGAIN, or NOT_HANDSHAKING with post-handshake records in flight
        if (in.position() == 0 && before != HandshakeStatus.NEED_UNWRAP_AGAIN) {
          return false;
        }
        in.flip();
        try {
          r = e.unwrap(in, app);
        } finally {
          in.compact();
        }
        app.clear();
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
          throw new IllegalStateException("a " + BUFFER_SIZE + "-byte application buffer is too small: " + r);
        }
        break;
    }
    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
      throw new SSLException("engine closed during the handshake: " + r);
    }
    return r.bytesConsumed() > 0 || r.bytesProduced() > 0 || r.getHandshakeStatus() != before;
  }
}
