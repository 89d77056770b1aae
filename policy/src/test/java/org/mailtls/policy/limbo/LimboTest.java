package org.mailtls.policy.limbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole C2SP x509-limbo suite (plus its BetterTLS export) through path validation and
 * the strict identity engine, prints a per-group table and writes {@code target/limbo-report.md}.
 *
 * <p>Path validation is the JDK's PKIX {@code CertPathBuilder} until MailTLS's own trust manager
 * exists; only the name-matching cases are held to "all right". See {@link LimboRunner}.
 *
 * <p>The suite file comes from the system property {@value #PATH_PROPERTY}, which the parent POM's
 * Surefire configuration sets from the reactor root. A missing property or file fails the test.
 */
class LimboTest {
  static final String PATH_PROPERTY = "mailtls.limbo.path";

  /** README.md of the shared suite: 9,780 testcases. A different count means a truncated or swapped file. */
  static final int EXPECTED_CASES = 9_780;

  /** webpki::san (19) + rfc5280::san (4) + rfc5280::ca-as-leaf-wrong-san, before exclusions. */
  static final int NAME_SET_CASES = 24;

  /** webpki::cn: 9 cases, all expected FAILURE; 8 of them are CN-vs-SAN profile lints, see {@link #CN_EXCLUSIONS}. */
  static final int CN_CASES = 9;

  /**
   * Cases of the name-matching set that test a certificate-profile rule, not a name rule. The
   * trust manager will own these; the identity engine is right to ignore them. (On 2026-11-30
   * {@code noncritical-with-empty-subject} is FAILURE anyway, because the JDK's X.509 parser
   * refuses the leaf, not because of anything the identity engine does.)
   */
  static final Map<String, String> NAME_SET_EXCLUSIONS = Map.of(
      "webpki::san::san-critical-with-nonempty-subject",
      "CABF profile rule: SAN criticality must follow subject emptiness (BR 7.1.2.7.12); a certificate-profile"
          + " check for the trust manager, not identity matching",
      "rfc5280::san::noncritical-with-empty-subject",
      "RFC 5280 §4.2.1.6 profile rule: an empty subject requires a critical SAN; a certificate-profile check for"
          + " the trust manager, not identity matching");

  /**
   * webpki::cn cases that are CA/Browser Forum profile lints, not name rules. Each has a SAN entry
   * that equals the reference, plus a subject CN that is not a character-for-character copy of a
   * SAN entry (CABF BR 7.1.4.3). Strict mode never reads the CN, so the identity engine rightly
   * matches the SAN; rejecting the CN/SAN inconsistency is a certificate-profile check the trust
   * manager will own. The 9th case, {@code utf8-vs-punycode-mismatch}, stays asserted: it is
   * FAILURE because upstream's reference {@code xn--test--wg5h0h.com} is not a valid A-label (it
   * decodes to a label ending in a hyphen), so {@code DnsName.parse} refuses it.
   */
  static final Map<String, String> CN_EXCLUSIONS = Map.of(
      "webpki::cn::ipv4-hex-mismatch", cnLint("the CN spells the SAN's IPv4 address in hexadecimal"),
      "webpki::cn::ipv4-leading-zeros-mismatch", cnLint("the CN spells the SAN's IPv4 address with leading zeros"),
      "webpki::cn::ipv6-uppercase-mismatch", cnLint("the CN spells the SAN's IPv6 address in upper case"),
      "webpki::cn::ipv6-uncompressed-mismatch", cnLint("the CN spells the SAN's IPv6 address uncompressed"),
      "webpki::cn::ipv6-non-rfc5952-mismatch", cnLint("the CN spells the SAN's IPv6 address not in RFC 5952 form"),
      "webpki::cn::punycode-not-in-san", cnLint("the CN is an A-label that is not in the SAN"),
      "webpki::cn::not-in-san", cnLint("the CN is a host name that is not in the SAN"),
      "webpki::cn::case-mismatch", cnLint("the CN differs from the SAN dNSName in letter case"));

  private static String cnLint(String what) {
    return "CABF BR 7.1.4.3 profile lint (" + what + "); the SAN matches the reference and strict mode never"
        + " reads the CN, so this is a certificate-profile check for the trust manager, not identity matching";
  }

  /**
   * Regression floor for {@code bettertls::nameconstraints} (path validation by the JDK PKIX
   * builder, names by the strict engine).
   *
   * <p>Measured 2026-11-30 on OpenJDK 17.0.15 (Debian), limbo.json sha256 bf143b40...: 9,491
   * cases, 9,411 right, 80 wrong, 0 skipped. All 80 wrong are expected SUCCESS but the JDK PKIX
   * builder finds no path (its name-constraint processing); no expected FAILURE is accepted. For
   * comparison, README.md's stock JDK/BCJSSE baseline with HTTPS endpoint identification is
   * 9,313. Whole suite at that date: 9,780 cases, 9,605 right, 165 wrong, 10 skipped (CLIENT).
   */
  static final int BETTERTLS_NC_RIGHT_FLOOR = 9_411;

  /**
   * Worker threads. One is enough (the suite takes about 26 s on 2 cores; 2 threads take about
   * 17 s). Results are put back in file order, so the report is identical for any thread count.
   */
  static final int THREADS = 1;

  private static List<LimboResult> results;
  private static LimboReport report;

  @BeforeAll
  static void runSuite() throws IOException {
    Path file = limboFile();
    long start = System.nanoTime();
    results = new LimboRunner().runAll(file, THREADS);
    long millis = (System.nanoTime() - start) / 1_000_000;
    String header = "Suite: `" + file + "` (" + results.size() + " cases), " + THREADS + " thread(s), "
        + millis + " ms, JDK " + System.getProperty("java.version")
        + ". Path validation: JDK PKIX CertPathBuilder (stand-in); names: IdentityMatcher.strict().";
    Map<String, String> exclusions = new TreeMap<>(NAME_SET_EXCLUSIONS);
    exclusions.putAll(CN_EXCLUSIONS);
    report = new LimboReport(results, id -> inNameSet(id) || isCnCase(id), exclusions, header);
    report.publish(Path.of("target", "limbo-report.md"));
  }

  private static Path limboFile() {
    String value = System.getProperty(PATH_PROPERTY);
    if (value == null || value.isBlank()) {
      fail("System property " + PATH_PROPERTY + " is not set. Run the test through Maven (the parent POM's"
          + " Surefire configuration sets it from the reactor root) or pass -D" + PATH_PROPERTY
          + "=/path/to/x509-limbo/limbo.json");
    }
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      fail("The x509-limbo suite was not found at " + file.toAbsolutePath() + " (system property "
          + PATH_PROPERTY + "=" + value + "). The parent POM expects the shared x509-limbo folder under"
          + " mailtls.shared.dir, next to the reactor root.");
    }
    return file;
  }

  @Test
  void readsEveryCase() {
    assertEquals(EXPECTED_CASES, results.size(), "number of testcases read from the limbo file");
  }

  static boolean inNameSet(String id) {
    return id.startsWith("webpki::san::") || id.startsWith("rfc5280::san::")
        || id.equals("rfc5280::ca-as-leaf-wrong-san");
  }

  @Test
  void nameMatchingCasesAreAllRight() {
    List<LimboResult> set = results.stream().filter(r -> inNameSet(r.id())).collect(Collectors.toList());
    assertEquals(NAME_SET_CASES, set.size(), "cases in the name-matching set before exclusions");
    Set<String> ids = set.stream().map(LimboResult::id).collect(Collectors.toSet());
    for (String excluded : NAME_SET_EXCLUSIONS.keySet()) {
      assertTrue(ids.contains(excluded), "stale exclusion, no such case in the name-matching set: " + excluded);
    }
    assertAllRight(set.stream().filter(r -> !NAME_SET_EXCLUSIONS.containsKey(r.id())).collect(Collectors.toList()),
        "name-matching set");
  }

  static boolean isCnCase(String id) {
    return LimboCase.groupOf(id).equals("webpki::cn");
  }

  @Test
  void commonNameCasesAreAllRight() {
    List<LimboResult> cn = results.stream().filter(r -> isCnCase(r.id())).collect(Collectors.toList());
    assertEquals(CN_CASES, cn.size(), "webpki::cn cases");
    Set<String> ids = cn.stream().map(LimboResult::id).collect(Collectors.toSet());
    for (String excluded : CN_EXCLUSIONS.keySet()) {
      assertTrue(ids.contains(excluded), "stale exclusion, no such webpki::cn case: " + excluded);
    }
    assertAllRight(cn.stream().filter(r -> !CN_EXCLUSIONS.containsKey(r.id())).collect(Collectors.toList()),
        "webpki::cn");
  }

  /** Strict mode never uses a CN-ID (RFC 9525 §2), in webpki::cn or anywhere else in the suite. */
  @Test
  void strictModeNeverMatchesACommonName() {
    List<String> byCn = results.stream()
        .filter(r -> "LEGACY_COMMON_NAME".equals(r.nameMatch()))
        .map(LimboResult::id)
        .collect(Collectors.toList());
    assertTrue(byCn.isEmpty(), "strict mode matched a subject CN in: " + byCn);
    // The CN exclusions hold only while their reference matches a subjectAltName entry.
    for (LimboResult r : results) {
      if (CN_EXCLUSIONS.containsKey(r.id())) {
        assertTrue(r.nameMatch() != null, "excluded as a profile lint, but the SAN no longer matches: " + r.id()
            + " (" + r.reason() + ")");
      }
    }
  }

  @Test
  void betterTlsNameConstraintsDoNotRegress() {
    LimboReport.Counts nc = report.group("bettertls::nameconstraints");
    assertTrue(nc.right >= BETTERTLS_NC_RIGHT_FLOOR, "bettertls::nameconstraints right " + nc.right
        + " fell below the measured floor " + BETTERTLS_NC_RIGHT_FLOOR + " (see target/limbo-report.md)");
  }

  private static void assertAllRight(List<LimboResult> cases, String what) {
    List<String> wrong = new ArrayList<>();
    for (LimboResult r : cases) {
      if (!r.right()) {
        wrong.add(r.id() + ": expected " + r.expected() + ", got " + (r.actual() == null ? "SKIPPED" : r.actual())
            + " (" + r.reason() + ")");
      }
    }
    if (!wrong.isEmpty()) {
      fail(wrong.size() + " of " + cases.size() + " " + what + " cases are wrong:\n  " + String.join("\n  ", wrong));
    }
  }
}
