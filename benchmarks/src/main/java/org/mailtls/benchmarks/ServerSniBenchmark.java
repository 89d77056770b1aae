package org.mailtls.benchmarks;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.provider.MailTlsServerParameters;
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
 * A MailTLS server (BCJSSE, the default engine) hosting 1, 10 or 1,000 mail domains, each with its
 * own certificate chosen by SNI ({@code KeyManagerFactory("MailTLS").init(MailTlsServerParameters)},
 * strict SNI, one shared key so that key generation stays out of the set-up). Each operation is a
 * full TLS 1.3 / P-256 handshake from a MailTLS client to the next domain in turn; the number to
 * read is the {@code serverNs / handshakes} split, the server's cost per handshake as the domain
 * count grows.
 *
 * <p>The key store is JKS, whose key protection is cheap, so that loading 1,000 keys at {@code init}
 * takes seconds, not minutes; MailTLS decrypts keys once at {@code init} either way.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 10, time = 2)
@Fork(value = 3, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class ServerSniBenchmark {
  private static final String PROTOCOL = "TLSv1.3";
  private static final String SUITE = "TLS_AES_128_GCM_SHA256";

  @Param({"1", "10", "1000"})
  public int domains;

  private final Variant v = Variant.MAILTLS_BCJSSE;
  private SSLContext client;
  private SSLContext server;
  private String[] hosts;
  private int next;
  private int port = 1024;
  private final HandshakePump pump = new HandshakePump();

  static String host(int i) {
    return "mail.domain" + i + ".example";
  }

  @Setup(Level.Trial)
  public void setup() throws Exception {
    Fixtures f = Fixtures.of("EC_P256");
    KeyPair shared = f.leaf.keyPair();
    KeyStore ks = KeyStore.getInstance("JKS");
    ks.load(null, null);
    hosts = new String[domains];
    BigInteger[] serials = new BigInteger[domains];
    for (int i = 0; i < domains; i++) {
      hosts[i] = host(i);
      HeldCertificate leaf = f.leafFor(hosts[i], shared);
      serials[i] = leaf.certificate().getSerialNumber();
      ks.setKeyEntry("d" + i, shared.getPrivate(), Fixtures.PASSWORD, Fixtures.sentChain(leaf));
    }
    MailTlsServerParameters.Builder params = MailTlsServerParameters.builder(ks, Fixtures.PASSWORD).defaultAlias("d0");
    for (int i = 0; i < domains; i++) {
      params.serverName(hosts[i], "d" + i);
    }
    MailTlsProvider provider = new MailTlsProvider(JsseEngine.BCJSSE);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", provider);
    long t0 = System.nanoTime();
    kmf.init(params.build());
    long initMs = (System.nanoTime() - t0) / 1_000_000;
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(f.trustStore());
    server = SSLContext.getInstance("MailTLS", provider);
    server.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    client = v.clientContext(f);

    String label = "ServerSniBenchmark " + domains + " domains";
    for (int k : new int[] {0, domains / 2, domains - 1}) {
      Sanity.Outcome o = Sanity.handshake(label, v, client, server, hosts[k], nextPort(), PROTOCOL, SUITE);
      BigInteger got = Sanity.peerLeaf(o.clientSession()).getSerialNumber();
      Sanity.check(got.equals(serials[k]), label + ": SNI " + hosts[k] + " was served another domain's certificate");
    }
    String unknown;
    try {
      pump.run(v.clientEngine(client, "mail.unknown.example", nextPort(), PROTOCOL, SUITE),
          Variant.serverEngine(server, PROTOCOL, SUITE));
      unknown = "ACCEPTED by both sides (unexpected)";
    } catch (HandshakePump.Failure e) {
      unknown = "refused by the " + (e.client ? "client (the server served a certificate)" : "server") + ": "
          + e.getCause().getMessage();
    }
    Sanity.report(label + ": KeyManagerFactory init " + initMs + " ms; each SNI name served its own certificate;"
        + " unknown SNI name " + unknown);
  }

  private int nextPort() {
    port = port >= 65_535 ? 1024 : port + 1;
    return port;
  }

  @Benchmark
  public SSLEngine sniHandshake(SplitCounters split) throws Exception {
    String host = hosts[next];
    next = next + 1 == domains ? 0 : next + 1;
    long t0 = System.nanoTime();
    SSLEngine c = v.clientEngine(client, host, nextPort(), PROTOCOL, SUITE);
    long t1 = System.nanoTime();
    SSLEngine s = Variant.serverEngine(server, PROTOCOL, SUITE);
    long t2 = System.nanoTime();
    pump.run(c, s);
    split.add(pump.clientNanos + (t1 - t0), pump.serverNanos + (t2 - t1));
    return c;
  }
}
