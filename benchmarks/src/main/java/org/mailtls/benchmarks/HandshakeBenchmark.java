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
 * One full TLS handshake, client plus server, in memory in one thread: what a connection costs in
 * CPU, without sockets.
 *
 * <p>Every operation creates a client engine for {@code imap.example.com} on a new port (so the
 * client never offers a cached session) and a server engine, both limited to one protocol and one
 * suite (TLS 1.3: TLS_AES_128_GCM_SHA256; TLS 1.2: ECDHE_ECDSA or ECDHE_RSA with AES_128_GCM), and
 * pumps records until both are done, TLS 1.3 NewSessionTicket included. Client and server time are
 * counted separately ({@link SplitCounters}).
 *
 * <p>The combination RAW_BCJSSE_JCA + TLSv1.3 + RSA_2048 cannot handshake (BCJSSE over JDK crypto
 * has no RSA-PSS): its {@code @Setup} throws with "SKIPPED", and run.sh leaves it out with
 * {@code -p}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 10, time = 2)
@Fork(value = 3, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class HandshakeBenchmark {
  @Param({"MAILTLS_BCJSSE", "MAILTLS_SUNJSSE", "RAW_BCJSSE_BCPROV", "RAW_BCJSSE_JCA", "RAW_SUNJSSE"})
  public String variant;

  @Param({"TLSv1.3", "TLSv1.2"})
  public String protocol;

  @Param({"EC_P256", "RSA_2048"})
  public String key;

  private Variant v;
  private SSLContext client;
  private SSLContext server;
  private String suite;
  private int port = 1024;
  private final HandshakePump pump = new HandshakePump();

  @Setup(Level.Trial)
  public void setup() throws Exception {
    v = Variant.valueOf(variant);
    Variant.checkSupported(v, protocol, key);
    Fixtures f = Fixtures.of(key);
    suite = Fixtures.suite(protocol, key);
    client = v.clientContext(f);
    server = v.serverContext(f, f.leaf);
    String label = "HandshakeBenchmark " + variant + " " + protocol + " " + key;
    Sanity.Outcome last = null;
    long records = Variant.CIPHER_LOG_RECORDS.sum();
    for (int i = 0; i < 3; i++) {
      last = Sanity.handshake(label, v, client, server, Fixtures.HOST, nextPort(), protocol, suite);
      Sanity.check(!last.resumed(), label + ": a handshake on a new port was resumed: " + last.wire());
    }
    long logged = Variant.CIPHER_LOG_RECORDS.sum() - records;
    Sanity.check(Variant.CONSOLE_LOG || v.isMailTls() == (logged >= 3),
        label + ": " + logged + " MailTLS cipher-log records in 3 handshakes");
    Sanity.report(label + ": " + last.wire() + ", " + last.clientSession().getCipherSuite() + ", " + logged
        + " cipher-log records in 3 handshakes; "
        + Sanity.refusesWrongHost(label, v, client, server, nextPort(), protocol, suite));
  }

  private int nextPort() {
    port = port >= 65_535 ? 1024 : port + 1;
    return port;
  }

  @Benchmark
  public SSLEngine fullHandshake(SplitCounters split) throws Exception {
    long t0 = System.nanoTime();
    SSLEngine c = v.clientEngine(client, Fixtures.HOST, nextPort(), protocol, suite);
    long t1 = System.nanoTime();
    SSLEngine s = Variant.serverEngine(server, protocol, suite);
    long t2 = System.nanoTime();
    pump.run(c, s);
    split.add(pump.clientNanos + (t1 - t0), pump.serverNanos + (t2 - t1));
    return c;
  }
}
