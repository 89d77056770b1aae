package org.mailtls.benchmarks;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.mailtls.testing.HeldCertificate;
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
 * The client's trust decision inside a full TLS 1.3 / P-256 handshake, for a peer certificate seen
 * before ({@code REPEAT}) against a certificate never seen before ({@code NEW}: the server cycles
 * through {@value #LEAVES} distinct leaves with the same key, more than the JDK's 750-entry
 * certificate cache and MailTLS's validated-chain cache hold, so every handshake verifies the chain
 * as on first contact). With 1,000 leaves (the 2026-11-30 run) MailTLS's cache held them all after
 * one round, so that run's MailTLS NEW row measured the cache, not a first contact.
 *
 * <p>To rotate leaves the server is the raw engine of the variant's kind (BCJSSE over bcprov for
 * MAILTLS_BCJSSE, SunJSSE for RAW_SUNJSSE) with {@link InMemoryServerKeyManager}, in both the
 * REPEAT and the NEW case; only the client differs between variants. Compare REPEAT with NEW within
 * a variant, not with {@code HandshakeBenchmark}, whose MailTLS rows use a MailTLS server.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 10, time = 2)
@Fork(value = 3, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class TrustDecisionBenchmark {
  /** More than the JDK's 750-entry certificate cache and MailTLS's 4,096-entry validated-chain cache. */
  static final int LEAVES = 5_000;
  private static final String PROTOCOL = "TLSv1.3";
  private static final String KEY = "EC_P256";

  @Param({"MAILTLS_BCJSSE", "RAW_SUNJSSE"})
  public String variant;

  @Param({"REPEAT", "NEW"})
  public String peer;

  private Variant v;
  private SSLContext client;
  private SSLContext server;
  private InMemoryServerKeyManager keys;
  private String suite;
  private boolean rotate;
  private int next;
  private int port = 1024;
  private final HandshakePump pump = new HandshakePump();

  @Setup(Level.Trial)
  public void setup() throws Exception {
    v = Variant.valueOf(variant);
    rotate = switch (peer) {
      case "REPEAT" -> false;
      case "NEW" -> true;
      default -> throw new IllegalArgumentException("peer must be REPEAT or NEW: " + peer);
    };
    Fixtures f = Fixtures.of(KEY);
    suite = Fixtures.suite(PROTOCOL, KEY);
    KeyPair shared = f.leaf.keyPair();
    X509Certificate[][] chains = new X509Certificate[rotate ? LEAVES : 1][];
    chains[0] = Fixtures.sentChain(f.leaf);
    for (int i = 1; i < chains.length; i++) {
      HeldCertificate leaf = f.leafFor(Fixtures.HOST, shared);
      chains[i] = Fixtures.sentChain(leaf);
    }
    keys = new InMemoryServerKeyManager(shared.getPrivate(), chains);
    client = v.clientContext(f);
    server = v.rawServerContext(f, keys);
    String label = "TrustDecisionBenchmark " + variant + " " + peer;
    Set<java.math.BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      keys.select(next++);
      Sanity.Outcome o = Sanity.handshake(label, v, client, server, Fixtures.HOST, nextPort(), PROTOCOL, suite);
      Sanity.check(!o.resumed(), label + ": resumed: " + o.wire());
      serials.add(Sanity.peerLeaf(o.clientSession()).getSerialNumber());
    }
    Sanity.check(serials.size() == (rotate ? 3 : 1), label + ": expected " + (rotate ? 3 : 1)
        + " distinct peer certificates in 3 handshakes, saw " + serials.size());
    Sanity.report(label + ": " + serials.size() + " distinct peer leaves in 3 handshakes, " + keys.chainCount()
        + " in rotation; " + Sanity.refusesWrongHost(label, v, client, server, nextPort(), PROTOCOL, suite));
  }

  private int nextPort() {
    port = port >= 65_535 ? 1024 : port + 1;
    return port;
  }

  @Benchmark
  public SSLEngine fullHandshake(SplitCounters split) throws Exception {
    if (rotate) {
      keys.select(next++);
    }
    long t0 = System.nanoTime();
    SSLEngine c = v.clientEngine(client, Fixtures.HOST, nextPort(), PROTOCOL, suite);
    long t1 = System.nanoTime();
    SSLEngine s = Variant.serverEngine(server, PROTOCOL, suite);
    long t2 = System.nanoTime();
    pump.run(c, s);
    split.add(pump.clientNanos + (t1 - t0), pump.serverNanos + (t2 - t1));
    return c;
  }
}
