package org.mailtls.provider;

import java.security.KeyPair;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.mailtls.policy.RevocationMode;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;
import org.mailtls.testing.TestPki;
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
 * The chain half of a trust decision (PKIX path, floors, EKU; no identity), measured inside the
 * provider's package (this class shares the package {@code org.mailtls.provider} on the class path
 * to reach the package-private {@link ChainValidation}):
 *
 * <ul>
 *   <li>{@link #repeatedChainCached}: a chain seen before, answered by the {@link ValidatedChainCache};
 *   <li>{@link #repeatedChainPkix}: the same chain through MailTLS's full PKIX validation every time
 *       (what MailTLS did before the cache; the JDK still remembers parsed certificates and their
 *       verified signatures);
 *   <li>{@link #freshChainPkix}: a chain never seen before: {@value #FRESH} distinct leaves in
 *       rotation, more than the JDK's 750-entry certificate cache, so every call parses and verifies
 *       the leaf as on first contact.
 * </ul>
 *
 * The issue #8 target: a repeated chain decided at least 5 times faster than a fresh validation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class ChainDecisionBenchmark {
  static final int FRESH = 1_000;

  @Param({"EC_P256", "RSA_2048"})
  public String key;

  private ChainValidation cached;
  private PathValidator paths;
  private List<X509Certificate> repeated;
  private final List<List<X509Certificate>> fresh = new ArrayList<>();
  private int next;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    TestPki pki = TestPki.create(KeyType.valueOf(key), Clock.systemUTC());
    Set<TrustAnchor> anchors = Set.of(new TrustAnchor(pki.root().certificate(), null));
    paths = new PathValidator(anchors, RevocationMode.NONE, Clock.systemUTC(), 10);
    ValidatedChainCache cache = new ValidatedChainCache(ValidatedChainCache.DEFAULT_MAXIMUM_SIZE);
    cached = new ChainValidation(paths, cache);
    HeldCertificate leaf = pki.leaf().addDnsName("imap.example.com").build();
    repeated = List.of(leaf.certificate(), pki.intermediate().certificate());
    KeyPair shared = leaf.keyPair();
    for (int i = 0; i < FRESH; i++) {
      HeldCertificate l = pki.leaf().addDnsName("imap.example.com").keyPair(shared).build();
      fresh.add(List.of(l.certificate(), pki.intermediate().certificate()));
    }
    check(cached.validate(repeated, List.of(), ChainValidation.SERVER_AUTH));
    check(cached.validate(repeated, List.of(), ChainValidation.SERVER_AUTH));
    if (cache.hits() != 1) {
      throw new IllegalStateException("[sanity] the repeated chain was not answered from the cache");
    }
    System.out.println("[sanity] ChainDecisionBenchmark " + key + ": repeated chain answered from the cache; "
        + FRESH + " fresh chains");
  }

  private static void check(ChainValidation.Outcome o) {
    if (!o.ok()) {
      throw new IllegalStateException("[sanity] chain refused: " + o.rule() + " " + o.reason());
    }
  }

  @Benchmark
  public ChainValidation.Outcome repeatedChainCached() {
    return cached.validate(repeated, List.of(), ChainValidation.SERVER_AUTH);
  }

  @Benchmark
  public Object repeatedChainPkix() throws Exception {
    return paths.validate(repeated, List.of());
  }

  @Benchmark
  public Object freshChainPkix() throws Exception {
    List<X509Certificate> chain = fresh.get(next);
    next = next + 1 == FRESH ? 0 : next + 1;
    return paths.validate(chain, List.of());
  }
}
