package org.mailtls.testing;

import java.nio.ByteBuffer;

/**
 * Observes the network bytes an {@link SslEnginePair} moves, so tests can inspect handshake
 * records (e.g. the ClientHello) without a socket or a packet capture.
 */
@FunctionalInterface
public interface RecordListener {
  /**
   * Called once per {@code SSLEngine.wrap} call that produced bytes, before the peer sees them.
   *
   * @param direction which engine wrapped the bytes
   * @param networkBytes a read-only copy of exactly the bytes that one wrap produced; one or more
   *     complete TLS records, starting at a record header (content type, version, length)
   */
  void onRecord(Direction direction, ByteBuffer networkBytes);
}
