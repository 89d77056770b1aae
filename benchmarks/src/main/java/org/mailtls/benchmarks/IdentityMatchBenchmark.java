package org.mailtls.benchmarks;

import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.IdentityMatch;
import org.mailtls.policy.identity.IdentityMatcher;
import org.mailtls.policy.identity.MailService;
import org.mailtls.policy.identity.MatchKind;
import org.mailtls.policy.identity.PresentedIdentifier;
import org.mailtls.policy.identity.PresentedIdentifiers;
import org.mailtls.policy.identity.ReferenceIdentities;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;
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
 * The RFC 7817 / RFC 9525 identity check alone ({@link IdentityMatcher#strict()}), for the shapes a
 * mail server certificate takes:
 *
 * <ul>
 *   <li>{@code DNS_EXACT}: dNSName {@code imap.example.com}, reference DNS-ID {@code imap.example.com};
 *   <li>{@code DNS_WILDCARD}: dNSName {@code *.example.com};
 *   <li>{@code SRV_ID}: only the SRVName {@code _imaps.example.com}; references from a DNSSEC-validated
 *       RFC 6186 discovery (DNS-ID of the host first, which does not match, then the SRV-ID);
 *   <li>{@code SAN_500_LAST}: 500 dNSNames, the matching one last.
 * </ul>
 *
 * <p>{@link #parseAndMatch} parses the certificate's subjectAltName on every call, as the trust
 * manager does; {@link #matchPreParsed} matches already-parsed {@link PresentedIdentifiers}. Run with
 * {@code -prof gc} for the allocation per check.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class IdentityMatchBenchmark {
  @Param({"DNS_EXACT", "DNS_WILDCARD", "SRV_ID", "SAN_500_LAST"})
  public String shape;

  private final IdentityMatcher matcher = IdentityMatcher.strict();
  private ReferenceIdentities references;
  private X509Certificate leaf;
  private PresentedIdentifiers presented;

  @Setup(Level.Trial)
  public void setup() {
    Fixtures f = Fixtures.of(KeyType.EC_P256);
    HeldCertificate.Builder b = f.pki.leaf();
    MatchKind expected;
    String expectedPresented;
    switch (shape) {
      case "DNS_EXACT":
        b.addDnsName(Fixtures.HOST);
        references = ReferenceIdentities.forHost(Fixtures.HOST);
        expected = MatchKind.DNS_EXACT;
        expectedPresented = Fixtures.HOST;
        break;
      case "DNS_WILDCARD":
        b.addDnsName("*.example.com");
        references = ReferenceIdentities.forHost(Fixtures.HOST);
        expected = MatchKind.DNS_WILDCARD;
        expectedPresented = "*.example.com";
        break;
      case "SRV_ID":
        b.addSrvName("_imaps.example.com");
        references = ReferenceIdentities.builder()
            .host(Fixtures.HOST, HostProvenance.DNSSEC_SRV)
            .emailDomain("example.com")
            .service(MailService.IMAPS)
            .emailDomainAsDnsId(false)
            .build();
        expected = MatchKind.SRV;
        expectedPresented = "_imaps.example.com";
        break;
      case "SAN_500_LAST":
        for (int i = 0; i < 499; i++) {
          b.addDnsName("mx" + i + ".hosted-domain-" + i + ".example.net");
        }
        b.addDnsName(Fixtures.HOST);
        references = ReferenceIdentities.forHost(Fixtures.HOST);
        expected = MatchKind.DNS_EXACT;
        expectedPresented = Fixtures.HOST;
        break;
      default:
        throw new IllegalArgumentException("unknown shape " + shape);
    }
    leaf = b.build().certificate();
    presented = PresentedIdentifiers.from(leaf, matcher.policy().maxSubjectAltNames());
    String label = "IdentityMatchBenchmark " + shape;
    for (IdentityMatch m : new IdentityMatch[] {matcher.match(references, leaf), matcher.match(references, presented)}) {
      Sanity.check(m instanceof IdentityMatch.Matched, label + ": no match: " + m.message());
      IdentityMatch.Matched ok = (IdentityMatch.Matched) m;
      Sanity.check(ok.kind() == expected && describe(ok.presented()).contains(expectedPresented),
          label + ": matched " + ok.kind() + " " + ok.presented() + ", expected " + expected + " " + expectedPresented);
    }
    Sanity.check(!presented.truncated(), label + ": the subjectAltName was truncated at " + presented.examinedEntryCount());
    if (shape.equals("SAN_500_LAST")) {
      Sanity.check(presented.subjectAltNames().size() == 500, label + ": expected 500 usable SAN entries, got "
          + presented.subjectAltNames().size());
      Sanity.check(describe(presented.subjectAltNames().get(499)).contains(Fixtures.HOST), label
          + ": the match is not the last entry");
    }
    Sanity.report(label + ": " + matcher.match(references, leaf).message());
  }

  private static String describe(PresentedIdentifier p) {
    return String.valueOf(p);
  }

  @Benchmark
  public IdentityMatch parseAndMatch() {
    return matcher.match(references, leaf);
  }

  @Benchmark
  public IdentityMatch matchPreParsed() {
    return matcher.match(references, presented);
  }
}
