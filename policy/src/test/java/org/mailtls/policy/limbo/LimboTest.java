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

  /** webpki::cn: 9 cases, all expected FAILURE (strict mode never uses a CN). */
  static final int CN_CASES = 9;

  /**
   * Cases of the name-matching set that test a certificate-profile rule, not a name rule. The
   * trust manager will own these; the identity engine is right to ignore them.
   */
  static final Map<String, String> NAME_SET_EXCLUSIONS = Map.of(
      "webpki::san::san-critical-with-nonempty-subject",
      "CABF profile rule: SAN criticality must follow subject emptiness (BR 7.1.2.7.12); a certificate-profile"
          + " check for the trust manager, not identity matching",
      "rfc5280::san::noncritical-with-empty-subject",
      "RFC 5280 §4.2.1.6 profile rule: an empty subject requires a critical SAN; a certificate-profile check for"
          + " the trust manager, not identity matching");

  /**
   * Regression floor for {@code bettertls::nameconstraints} (path validation by the JDK PKIX
   * builder, names by the strict engine). Measured 2026-11-30 on JDK 17.0.15: TODO.
   */
  static final int BETTERTLS_NC_RIGHT_FLOOR = 0;

  /** Worker threads; results are put back in file order, so the report is deterministic. */
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
    report = new LimboReport(
        results, id -> inNameSet(id) || LimboCase.groupOf(id).equals("webpki::cn"), NAME_SET_EXCLUSIONS, header);
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
          + PATH_PROPERTY + "=" + value + "). See /work/shared/x509-limbo/README.md.");
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

  @Test
  void commonNameCasesAreAllRight() {
    List<LimboResult> cn = results.stream().filter(r -> r.group().equals("webpki::cn")).collect(Collectors.toList());
    assertEquals(CN_CASES, cn.size(), "webpki::cn cases");
    assertAllRight(cn, "webpki::cn");
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
