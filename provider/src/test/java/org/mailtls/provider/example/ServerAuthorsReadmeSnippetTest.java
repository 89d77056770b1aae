package org.mailtls.provider.example;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's "For server authors" quotes {@link SubmissionServer} between {@code // README:begin} and
 * {@code // README:end}. This test keeps that region quotable: marked once, short, about the building
 * blocks it is meant to show; and once README has the section, README's first {@code java} block in
 * it must be the region verbatim (common indentation removed), so neither can drift from the other.
 * The region itself is exercised end to end by {@link SubmissionServerTest}.
 */
class ServerAuthorsReadmeSnippetTest {
  private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
  private static final Path SOURCE =
      MODULE.resolve("src/test/java/org/mailtls/provider/example/SubmissionServer.java");
  private static final Path README = MODULE.resolve("../README.md");
  static final int MAX_REGION_LINES = 45; // "about 40"

  /** The lines between the markers, common indentation removed, without a trailing newline. */
  static String region() throws IOException {
    String source = Files.readString(SOURCE, UTF_8);
    int begin = source.indexOf("// README:begin\n");
    int end = source.indexOf("  // README:end\n");
    assertTrue(begin >= 0 && end > begin, "markers missing or out of order in " + SOURCE);
    assertEquals(begin, source.lastIndexOf("// README:begin"), "one README:begin");
    assertEquals(end + 2, source.lastIndexOf("// README:end"), "one README:end");
    return source.substring(begin + "// README:begin\n".length(), end).stripTrailing().stripIndent();
  }

  @Test
  void region_isShortAndShowsEveryBuildingBlock() throws IOException {
    String region = region();

    long lines = region.lines().count();
    assertTrue(lines <= MAX_REGION_LINES, "README region has " + lines + " lines; keep it short");
    for (String call : List.of("StartTlsAdvertisement.mayAdvertise(", "gate.mechanismsToAdvertise(",
        "startTls.upgrade(", "gate.check(", "MailTls.logAuthentication(", "refused.smtp()",
        "ReceivedTlsClause.forJsseSuite(", "MailTls.negotiatedGroup(", "ReceivedHeaders.builder()")) {
      assertTrue(region.contains(call), "the README region should show " + call);
    }
    assertTrue(region.lines().allMatch(l -> l.length() <= 120), "README lines of at most 120 characters");
  }

  @Test
  void wholeServer_staysSmall() throws IOException {
    long lines = Files.readString(SOURCE, UTF_8).lines().count();
    assertTrue(lines < 300, "SubmissionServer is README material: " + lines + " lines");
  }

  /** Once README has the section, its java block is the region, verbatim. */
  @Test
  void readme_quotesTheRegionVerbatim_onceTheSectionExists() throws IOException {
    String readme = Files.readString(README, UTF_8);
    int section = readme.indexOf("For server authors");
    if (section < 0) {
      return; // not pasted yet; from then on this test guards against drift
    }
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(block.find(section), "README's \"For server authors\" has no ```java block");
    assertEquals(region(), block.group(1).stripTrailing().stripIndent(),
        "README's \"For server authors\" block differs from SubmissionServer's README region");
  }
}
