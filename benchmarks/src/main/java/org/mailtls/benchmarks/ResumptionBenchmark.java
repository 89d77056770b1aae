package org.mailtls.benchmarks;

import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reconnection to the same {@code imap.example.com:993}: the client offers the session cached from
 * the previous connection (TLS 1.3 PSK ticket, TLS 1.2 session ID or ticket), as a mail client does
 * when it reconnects. Whether the server really resumed is read from the wire on every operation
 * ({@link WireInspector}: PSK accepted in the ServerHello for TLS 1.3, no Certificate message for
 * TLS 1.2) and reported as the {@code resumed} counter next to {@code handshakes}: a row whose
 * {@code resumed} is 0 measured full handshakes (BCJSSE 1.84 does not resume TLS 1.3).
 *
 * <p>A resumed MailTLS client session is checked again in full by MailTLS (path, floors, identity),
 * so MailTLS's resumption is expected to cost more than the raw engine's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 10, time = 2)
@Fork(value = 3, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class ResumptionBenchmark {
  static final int PORT = 993;

  @Param({"MAILTLS_BCJSSE", "MAILTLS_SUNJSSE", "RAW_BCJSSE_BCPROV", "RAW_BCJSSE_JCA", "RAW_SUNJSSE"})
  public String variant;

  @Param({"TLSv1.3", "TLSv1.2"})
  public String protocol;

  /** Resumption skips the certificate, so one key type is measured; {@code -p key=RSA_2048} works too. */
  @Param({"EC_P256"})
  public String key;

  private Variant v;
  private SSLContext client;
  private SSLContext server;
  private String suite;
  private final HandshakePump pump = new HandshakePump().inspect(true);

  @Setup(Level.Trial)
  public void setup() throws Exception {
    v = Variant.valueOf(variant);
    Variant.checkSupported(v, protocol, key);
    Fixtures f = Fixtures.of(key);
    suite = Fixtures.suite(protocol, key);
    client = v.clientContext(f);
    server = v.serverContext(f, f.leaf);
    String label = "ResumptionBenchmark " + variant + " " + protocol + " " + key;
    Sanity.Outcome first = Sanity.handshake(label, v, client, server, Fixtures.HOST, PORT, protocol, suite);
    Sanity.check(!first.resumed(), label + ": the first connection cannot resume anything: " + first.wire());
    int resumed = 0;
    Sanity.Outcome last = null;
    for (int i = 0; i < 5; i++) {
      last = Sanity.handshake(label, v, client, server, Fixtures.HOST, PORT, protocol, suite);
      resumed += last.resumed() ? 1 : 0;
    }
    String observed = resumed == 5 ? "every reconnection was resumed (" + last.wire() + ")"
        : resumed == 0 ? "NO reconnection was resumed: each was a full handshake (" + last.wire() + ")"
        : resumed + " of 5 reconnections were resumed (last: " + last.wire() + ")";
    Sanity.report(label + ": OBSERVED " + observed);
    Sanity.report(label + ": " + Sanity.refusesWrongHost(label, v, client, server, PORT, protocol, suite));
    // Prime the cache again: the wrong-host attempt used another host, but keep the state explicit.
    Sanity.handshake(label, v, client, server, Fixtures.HOST, PORT, protocol, suite);
  }

  @Benchmark
  public SSLEngine reconnect(ResumptionCounters counters) throws Exception {
    long t0 = System.nanoTime();
    SSLEngine c = v.clientEngine(client, Fixtures.HOST, PORT, protocol, suite);
    long t1 = System.nanoTime();
    SSLEngine s = Variant.serverEngine(server, protocol, suite);
    long t2 = System.nanoTime();
    pump.run(c, s);
    counters.add(pump.clientNanos + (t1 - t0), pump.serverNanos + (t2 - t1), pump.wire().resumed());
    return c;
  }
}
