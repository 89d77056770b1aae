package org.mailtls.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary results of the handshake benchmarks: nanoseconds spent inside the client engine and
 * inside the server engine, and the number of handshakes. JMH reports EVENTS counters as sums, not
 * per operation: client µs per handshake = {@code clientNs / handshakes / 1000} ({@code Report}
 * computes it from the JSON results).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class SplitCounters {
  /** Nanoseconds inside client-engine calls (creation, wrap, unwrap, delegated tasks). */
  public long clientNs;
  /** Nanoseconds inside server-engine calls. */
  public long serverNs;
  /** Handshakes completed. */
  public long handshakes;

  @Setup(Level.Iteration)
  public void reset() {
    clientNs = 0;
    serverNs = 0;
    handshakes = 0;
  }

  void add(long clientNanos, long serverNanos) {
    clientNs += clientNanos;
    serverNs += serverNanos;
    handshakes++;
  }
}
