package org.mailtls.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary results of {@code ResumptionBenchmark}: as {@link SplitCounters}, plus how many of the
 * handshakes the server actually resumed (read from the wire by {@link WireInspector}), so the
 * results themselves say whether a row measures resumption or a full handshake.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ResumptionCounters {
  public long clientNs;
  public long serverNs;
  public long handshakes;
  /** Handshakes in which the server resumed the offered session. */
  public long resumed;

  @Setup(Level.Iteration)
  public void reset() {
    clientNs = 0;
    serverNs = 0;
    handshakes = 0;
    resumed = 0;
  }

  void add(long clientNanos, long serverNanos, boolean wasResumed) {
    clientNs += clientNanos;
    serverNs += serverNanos;
    handshakes++;
    if (wasResumed) {
      resumed++;
    }
  }
}
