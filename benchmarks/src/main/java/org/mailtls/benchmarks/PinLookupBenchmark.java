package org.mailtls.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.identity.MailService;
import org.mailtls.policy.pin.CertificatePin;
import org.mailtls.policy.pin.InMemoryPinStore;
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
 * {@link InMemoryPinStore#find} in a store of {@value #PINS} pins: {@value #ACCOUNTS} accounts with
 * five endpoints each (IMAPS, POP3S, SUBMISSIONS, IMAP, SUBMISSION on {@code mail.domainN.example}),
 * normalized hosts, 64-hex fingerprints. This is far more than one mail client holds; it is the
 * shape of a multi-tenant client (webmail, an MTA's outbound pins) and shows how the lookup scales.
 *
 * <ul>
 *   <li>{@code HIT}: a stored pin, cycling through 1,024 chosen uniformly at random;
 *   <li>{@code MISS}: a stored account and endpoint with an unknown fingerprint (what a handshake
 *       with a new, unpinned certificate asks).
 * </ul>
 *
 * <p>Building the store (in {@code @Setup}) is timed and printed: {@code InMemoryPinStore.of} adds
 * pins one by one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class PinLookupBenchmark {
  static final int PINS = 100_000;
  static final int ACCOUNTS = PINS / 5;
  private static final int PROBES = 1_024;
  private static final MailService[] SERVICES = {
      MailService.IMAPS, MailService.POP3S, MailService.SUBMISSIONS, MailService.IMAP, MailService.SUBMISSION};

  @Param({"HIT", "MISS"})
  public String lookup;

  private InMemoryPinStore store;
  private final String[] accounts = new String[PROBES];
  private final String[] hosts = new String[PROBES];
  private final int[] ports = new int[PROBES];
  private final MailService[] services = new MailService[PROBES];
  private final String[] fingerprints = new String[PROBES];
  private int next;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    boolean hit = switch (lookup) {
      case "HIT" -> true;
      case "MISS" -> false;
      default -> throw new IllegalArgumentException("lookup must be HIT or MISS: " + lookup);
    };
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    Instant pinnedAt = Instant.parse("2026-01-15T10:00:00Z");
    List<CertificatePin> pins = new ArrayList<>(PINS);
    for (int a = 0; a < ACCOUNTS; a++) {
      String host = MailEndpoint.normalize("mail.domain" + a + ".example");
      for (MailService s : SERVICES) {
        String fp = hex(sha256.digest((a + "/" + s).getBytes(StandardCharsets.US_ASCII)));
        pins.add(CertificatePin.of("account-" + a, host, s.defaultPort(), s, fp, pinnedAt, List.of(fp),
            "the certificate chain does not validate (RFC 5280): unknown issuer"));
      }
    }
    long t0 = System.nanoTime();
    store = InMemoryPinStore.of(pins);
    long buildMs = (System.nanoTime() - t0) / 1_000_000;
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < PROBES; i++) {
      CertificatePin p = pins.get(random.nextInt(PINS));
      accounts[i] = p.accountId();
      hosts[i] = p.host();
      ports[i] = p.port();
      services[i] = p.service();
      fingerprints[i] = hit ? p.sha256() : hex(sha256.digest(("unknown/" + i).getBytes(StandardCharsets.US_ASCII)));
    }
    String label = "PinLookupBenchmark " + lookup;
    Sanity.check(store.all().size() == PINS, label + ": the store holds " + store.all().size() + " pins, not " + PINS);
    for (int i = 0; i < PROBES; i++) {
      Optional<CertificatePin> found = store.find(accounts[i], hosts[i], ports[i], services[i], fingerprints[i]);
      Sanity.check(found.isPresent() == hit, label + ": probe " + i + " found " + found);
    }
    Sanity.report(label + ": " + PINS + " pins; InMemoryPinStore.of took " + buildMs + " ms; all " + PROBES
        + " probes " + (hit ? "found" : "missed") + " as expected");
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }

  @Benchmark
  public Optional<CertificatePin> find() {
    int i = next++ & (PROBES - 1);
    return store.find(accounts[i], hosts[i], ports[i], services[i], fingerprints[i]);
  }
}
