package org.mailtls.testing;

import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * One side of an {@link SslEnginePair}: an engine, the pipe it wraps into (which is its peer's
 * inbound pipe), and the application bytes it has unwrapped. {@link #step()} performs exactly one
 * operation the engine asks for and records, rather than throws, any failure.
 */
final class Endpoint {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final int MAX_GROWTHS = 16;

  final SSLEngine engine;
  private final Direction direction;
  private final Pipe out;
  private final Pipe in;
  private final Pipe appIn = new Pipe();
  RecordListener listener;
  Throwable failure;
  private boolean flushedAfterFailure;

  Endpoint(SSLEngine engine, Direction direction, Pipe out, Pipe in) {
    this.engine = engine;
    this.direction = direction;
    this.out = out;
    this.in = in;
  }

  /** Starts the handshake; a failure (e.g. no common protocol) is recorded, not thrown. */
  void begin() {
    try {
      engine.beginHandshake();
    } catch (SSLException | RuntimeException e) {
      failure = e;
    }
  }

  /** Does one thing the engine needs; true if anything changed. Never throws for TLS failures. */
  boolean step() {
    if (failure != null) {
      return flushAfterFailure();
    }
    HandshakeStatus before = engine.getHandshakeStatus();
    try {
      SSLEngineResult result;
      switch (before) {
        case NEED_TASK:
          for (Runnable task = engine.getDelegatedTask(); task != null;
              task = engine.getDelegatedTask()) {
            task.run();
          }
          return true;
        case NEED_WRAP:
          result = wrap(EMPTY);
          break;
        case NEED_UNWRAP_AGAIN:
          result = unwrap();
          break;
        default: // NEED_UNWRAP, or post-handshake records (NewSessionTicket) and app data
          if (!in.hasData()) {
            return false;
          }
          result = unwrap();
          break;
      }
      return result.bytesConsumed() > 0 || result.bytesProduced() > 0
          || result.getHandshakeStatus() != before;
    } catch (SSLException | RuntimeException e) {
      failure = e;
      return true;
    }
  }

  /** After a failure, wraps until the engine stops producing, to deliver its alert. */
  private boolean flushAfterFailure() {
    if (flushedAfterFailure) {
      return false;
    }
    flushedAfterFailure = true;
    boolean produced = false;
    for (int i = 0; i < MAX_GROWTHS && !engine.isOutboundDone(); i++) {
      try {
        if (wrap(EMPTY).bytesProduced() == 0) {
          break;
        }
        produced = true;
      } catch (SSLException | RuntimeException e) {
        failure.addSuppressed(e);
        break;
      }
    }
    return produced;
  }

  /** True when not handshaking and nothing is waiting to be unwrapped. */
  boolean isIdle() {
    HandshakeStatus status = engine.getHandshakeStatus();
    return (status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED)
        && !in.hasData();
  }

  /** Wraps all of {@code data} as application data; throws, since this is not a handshake. */
  void wrapAll(ByteBuffer data) throws SSLException {
    int stuck = 0;
    while (data.hasRemaining()) {
      SSLEngineResult result = wrap(data);
      if (result.getStatus() == Status.CLOSED) {
        throw new SSLException("cannot send: " + direction + " engine is closed");
      }
      if (result.bytesConsumed() == 0 && ++stuck > MAX_GROWTHS) {
        throw new SSLException("engine consumes no application data, status " + result);
      }
    }
  }

  /** Returns and forgets all application data unwrapped so far. */
  byte[] takeAppData() {
    ByteBuffer buffer = appIn.readable();
    byte[] data = new byte[buffer.remaining()];
    buffer.get(data);
    appIn.doneReading();
    return data;
  }

  private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
    int min = engine.getSession().getPacketBufferSize();
    for (int i = 0; ; i++) {
      ByteBuffer dst = out.writable(min << i);
      int start = dst.position();
      SSLEngineResult result = engine.wrap(src, dst);
      if (result.getStatus() == Status.BUFFER_OVERFLOW && i < MAX_GROWTHS) {
        continue;
      }
      if (result.bytesProduced() > 0 && listener != null) {
        byte[] copy = Arrays.copyOfRange(dst.array(), start, dst.position());
        listener.onRecord(direction, ByteBuffer.wrap(copy).asReadOnlyBuffer());
      }
      return result;
    }
  }

  private SSLEngineResult unwrap() throws SSLException {
    int min = engine.getSession().getApplicationBufferSize();
    for (int i = 0; ; i++) {
      ByteBuffer dst = appIn.writable(min << i);
      SSLEngineResult result;
      try {
        result = engine.unwrap(in.readable(), dst);
      } finally {
        in.doneReading();
      }
      if (result.getStatus() == Status.BUFFER_OVERFLOW && i < MAX_GROWTHS) {
        continue;
      }
      return result;
    }
  }

  /** A growable byte queue kept in write mode between operations. */
  static final class Pipe {
    private ByteBuffer buffer = ByteBuffer.allocate(0);

    /** The buffer in write mode with at least {@code min} bytes free. */
    ByteBuffer writable(int min) {
      if (buffer.remaining() < min) {
        int size = Math.max(buffer.position() + min, 2 * buffer.capacity());
        ByteBuffer bigger = ByteBuffer.allocate(size);
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
      }
      return buffer;
    }

    /** Switches to read mode; must be followed by {@link #doneReading()}. */
    ByteBuffer readable() {
      buffer.flip();
      return buffer;
    }

    /** Drops what was read and returns to write mode. */
    void doneReading() {
      buffer.compact();
    }

    boolean hasData() {
      return buffer.position() > 0;
    }
  }
}
