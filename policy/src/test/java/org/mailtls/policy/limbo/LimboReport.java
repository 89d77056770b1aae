package org.mailtls.policy.limbo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Per-group counts (group = first two {@code ::} segments of the id) and the list of wrong and
 * skipped cases, as a Markdown document. The printed form caps the per-group lists; the file has
 * everything.
 */
final class LimboReport {
  /** Per-group list cap for stdout; the file is never capped. */
  static final int PRINT_CAP = 30;

  /** Counts for one group. */
  static final class Counts {
    int total;
    int right;
    int wrong;
    int skipped;
    final List<LimboResult> wrongCases = new ArrayList<>();
    final List<LimboResult> skippedCases = new ArrayList<>();

    void add(LimboResult r) {
      total++;
      switch (r.status()) {
        case RIGHT:
          right++;
          break;
        case WRONG:
          wrong++;
          wrongCases.add(r);
          break;
        case SKIPPED:
          skipped++;
          skippedCases.add(r);
          break;
      }
    }
  }

  private final Map<String, Counts> groups = new TreeMap<>();
  private final Counts all = new Counts();
  private final List<LimboResult> detailed = new ArrayList<>();
  private final Map<String, String> exclusions;
  private final String header;

  /**
   * @param showAll selects the cases listed one by one, right or wrong (the asserted name cases)
   * @param exclusions case ids left out of the name-matching assertion, with the reason
   */
  LimboReport(List<LimboResult> results, Predicate<String> showAll, Map<String, String> exclusions, String header) {
    this.exclusions = exclusions;
    this.header = header;
    for (LimboResult r : results) {
      groups.computeIfAbsent(r.group(), g -> new Counts()).add(r);
      all.add(r);
      if (showAll.test(r.id())) {
        detailed.add(r);
      }
    }
  }

  Counts group(String name) {
    return groups.getOrDefault(name, new Counts());
  }

  Counts all() {
    return all;
  }

  /** The report as Markdown; {@code cap} limits each group's lists (Integer.MAX_VALUE = no cap). */
  String render(int cap) {
    StringBuilder sb = new StringBuilder();
    sb.append("# x509-limbo report\n\n").append(header).append("\n\n");
    sb.append("| group | total | right | wrong | skipped |\n");
    sb.append("|---|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Counts> e : groups.entrySet()) {
      row(sb, "`" + e.getKey() + "`", e.getValue());
    }
    row(sb, "**all**", all);

    sb.append("\n## Asserted name cases, one by one\n\n");
    for (LimboResult r : detailed) {
      sb.append("- ").append(r.status()).append(" `").append(r.id()).append("`: expected ").append(r.expected())
          .append(", got ").append(r.actual() == null ? "SKIPPED" : r.actual())
          .append(exclusions.containsKey(r.id()) ? " (excluded)" : "")
          .append(r.reason().isEmpty() ? "" : " -- " + r.reason()).append('\n');
    }

    sb.append("\n## Wrong cases\n");
    for (Map.Entry<String, Counts> e : groups.entrySet()) {
      List<LimboResult> wrong = e.getValue().wrongCases;
      if (wrong.isEmpty()) {
        continue;
      }
      sb.append("\n### `").append(e.getKey()).append("` (").append(wrong.size()).append(" wrong)\n\n");
      int shown = 0;
      for (LimboResult r : wrong) {
        if (shown++ == cap) {
          sb.append("- ... ").append(wrong.size() - cap).append(" more in target/limbo-report.md\n");
          break;
        }
        sb.append("- `").append(r.id()).append("`: expected ").append(r.expected())
            .append(", got ").append(r.actual());
        if (exclusions.containsKey(r.id())) {
          sb.append(" (excluded from the name assertions: ").append(exclusions.get(r.id())).append(')');
        }
        sb.append("\n  - reason: ").append(r.reason().isEmpty() ? "(none: path valid and name matched)" : r.reason())
            .append("\n  - description: ").append(shortDescription(r.description())).append('\n');
      }
    }

    sb.append("\n## Skipped cases\n\n");
    if (all.skippedCases.isEmpty()) {
      sb.append("(none)\n");
    }
    for (LimboResult r : all.skippedCases) {
      sb.append("- `").append(r.id()).append("`: ").append(r.reason()).append('\n');
    }

    sb.append("\n## Exclusions from the name assertions\n\n");
    for (Map.Entry<String, String> e : new TreeMap<>(exclusions).entrySet()) {
      sb.append("- `").append(e.getKey()).append("`: ").append(e.getValue()).append('\n');
    }
    return sb.toString();
  }

  /** Prints the per-group table to stdout and writes the full report to {@code file}. */
  void publish(Path file) throws IOException {
    String capped = render(PRINT_CAP);
    int details = capped.indexOf("\n## ");
    System.out.println(details < 0 ? capped : capped.substring(0, details));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(Integer.MAX_VALUE), StandardCharsets.UTF_8);
    System.out.println("Full report: " + file.toAbsolutePath());
  }

  private static void row(StringBuilder sb, String name, Counts c) {
    sb.append("| ").append(name).append(" | ").append(c.total).append(" | ").append(c.right)
        .append(" | ").append(c.wrong).append(" | ").append(c.skipped).append(" |\n");
  }

  private static String shortDescription(String description) {
    if (description == null || description.isBlank()) {
      return "(none)";
    }
    String s = LimboRunner.oneLine(description);
    return s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }
}
