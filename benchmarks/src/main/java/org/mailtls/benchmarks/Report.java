package org.mailtls.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailtls.testing.JsonReader;

/**
 * Turns JMH JSON result files into the Markdown tables of docs/performance.md, with the derived
 * columns computed the same way every time:
 *
 * <ul>
 *   <li>ratio to the raw engine it wraps: MAILTLS_BCJSSE / RAW_BCJSSE_BCPROV, MAILTLS_SUNJSSE /
 *       RAW_SUNJSSE, same protocol and key;
 *   <li>crypto floor of a full handshake: 2 × (X25519 key generation + X25519 agreement) + one
 *       signature + one verification with the certificate's key (ECDSA P-256 or RSA-2048 with
 *       SHA-256), from {@code CryptoFloorBenchmark} on the variant's crypto backend (bcprov for the
 *       BCJSSE-over-bcprov variants, the JDK's providers for the others). Chain signatures are not
 *       in the floor (engines may cache them for a repeated peer);
 *   <li>client / server split: {@code clientNs / handshakes}, {@code serverNs / handshakes}.
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.mailtls.benchmarks.Report results/*.json
 * [context-footprint.md]}; the optional Markdown file is {@link ContextFootprint}'s output, whose
 * retained-memory column joins the context table.
 */
public final class Report {
  private static final String[] VARIANTS = {
      "MAILTLS_BCJSSE", "MAILTLS_SUNJSSE", "RAW_BCJSSE_BCPROV", "RAW_BCJSSE_JCA", "RAW_SUNJSSE"};

  /** One JMH result: benchmark "Class.method", parameters, primary score and secondary scores. */
  record Row(String benchmark, Map<String, String> params, double score, double error, String unit,
      Map<String, Double> secondary) {
    double secondary(String name) {
      Double d = secondary.get(name);
      return d == null ? Double.NaN : d;
    }

    /** Bytes allocated per operation (JMH {@code -prof gc}), NaN without the profiler. */
    double allocPerOp() {
      return secondary("gc.alloc.rate.norm");
    }

    /** Microseconds per handshake inside the client (or server) engine. */
    double sideMicros(boolean client) {
      return secondary(client ? "clientNs" : "serverNs") / secondary("handshakes") / 1_000.0;
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, String> retainedKib = new LinkedHashMap<>();
  private final StringBuilder out = new StringBuilder();

  private Report() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: Report result.json...");
      System.exit(2);
    }
    Report r = new Report();
    for (String a : args) {
      if (a.endsWith(".md")) {
        r.loadFootprint(Path.of(a));
      } else {
        r.load(Path.of(a));
      }
    }
    System.out.print(r.render());
  }

  @SuppressWarnings("unchecked")
  private void load(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (text.isEmpty()) {
      return;
    }
    for (Object o : (List<Object>) JsonReader.parse(text)) {
      Map<String, Object> m = (Map<String, Object>) o;
      String full = (String) m.get("benchmark");
      String[] parts = full.split("\\.");
      String bench = parts[parts.length - 2] + "." + parts[parts.length - 1];
      Map<String, String> params = new LinkedHashMap<>();
      Object p = m.get("params");
      if (p instanceof Map) {
        ((Map<String, Object>) p).forEach((k, v) -> params.put(k, String.valueOf(v)));
      }
      Map<String, Object> primary = (Map<String, Object>) m.get("primaryMetric");
      Map<String, Double> secondary = new LinkedHashMap<>();
      Object sec = m.get("secondaryMetrics");
      if (sec instanceof Map) {
        ((Map<String, Object>) sec).forEach((k, v) -> secondary.put(k.replace("\u00b7", ""),
            JsonReader.number(((Map<String, Object>) v).get("score"))));
      }
      rows.add(new Row(bench, params, JsonReader.number(primary.get("score")), JsonReader.number(primary.get("scoreError")),
          (String) primary.get("scoreUnit"), secondary));
    }
  }

  /** Reads the rows "| VARIANT | retained | allocated |" of ContextFootprint's table. */
  private void loadFootprint(Path file) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] cells = line.split("\\|");
      if (cells.length >= 3) {
        String variant = cells[1].trim();
        for (String v : VARIANTS) {
          if (v.equals(variant)) {
            retainedKib.put(v, cells[2].trim());
          }
        }
      }
    }
  }

  private Row find(String benchmark, String... keyValues) {
    for (Row r : rows) {
      if (!r.benchmark().equals(benchmark)) {
        continue;
      }
      boolean ok = true;
      for (int k = 0; k < keyValues.length; k += 2) {
        ok &= keyValues[k + 1].equals(r.params().get(keyValues[k]));
      }
      if (ok) {
        return r;
      }
    }
    return null;
  }

  private String render() {
    handshakes();
    resumption();
    trustDecision();
    sni();
    contexts();
    micro();
    cryptoFloor();
    return out.toString();
  }

  // -----------------------------------------------------------------------------------------------

  private double floor(String variant, String key) {
    String backend = Variant.valueOf(variant).backend() == Variant.Backend.BCPROV ? "BCPROV" : "JDK";
    boolean ec = key.startsWith("EC");
    double[] ops = {
        score("CryptoFloorBenchmark.x25519KeyGen", backend), score("CryptoFloorBenchmark.x25519Agree", backend),
        score(ec ? "CryptoFloorBenchmark.ecdsaP256Sign" : "CryptoFloorBenchmark.rsa2048Sign", backend),
        score(ec ? "CryptoFloorBenchmark.ecdsaP256Verify" : "CryptoFloorBenchmark.rsa2048Verify", backend)};
    return 2 * (ops[0] + ops[1]) + ops[2] + ops[3];
  }

  /** "TLS 1.3, EC P-256", "TLS 1.2, RSA-2048 (ECDHE_RSA)", as docs/performance.md titles them. */
  private static String heading(String protocol, String key) {
    boolean ec = key.startsWith("EC");
    boolean tls13 = protocol.equals("TLSv1.3");
    return (tls13 ? "TLS 1.3, " : "TLS 1.2, ") + (ec ? "EC P-256" : "RSA-2048")
        + (tls13 ? "" : ec ? " (ECDHE_ECDSA)" : " (ECDHE_RSA)");
  }

  private double score(String benchmark, String provider) {
    Row r = find(benchmark, "provider", provider);
    return r == null ? Double.NaN : r.score();
  }

  private void handshakes() {
    if (rows.stream().noneMatch(r -> r.benchmark().equals("HandshakeBenchmark.fullHandshake"))) {
      return;
    }
    out.append("## Full handshakes\n\n");
    for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
      for (String key : new String[] {"EC_P256", "RSA_2048"}) {
        out.append("### ").append(heading(protocol, key)).append("\n\n");
        out.append("| variant | handshake µs (±) | ratio to the raw engine it wraps | ratio to the crypto floor | alloc/op |\n");
        out.append("|---|---|---|---|---|\n");
        for (String v : VARIANTS) {
          Row r = find("HandshakeBenchmark.fullHandshake", "variant", v, "protocol", protocol, "key", key);
          if (r == null) {
            out.append("| ").append(v).append(" | not run | | | |\n");
            continue;
          }
          Row raw = find("HandshakeBenchmark.fullHandshake", "variant", Variant.valueOf(v).wraps().name(),
              "protocol", protocol, "key", key);
          String ratio = Variant.valueOf(v).isMailTls() ? (raw == null ? "n/a" : ratio(r.score() / raw.score())) : "—";
          out.append("| ").append(v).append(" | ").append(scored(r)).append(" | ").append(ratio).append(" | ")
              .append(ratio(r.score() / floor(v, key))).append(" | ").append(bytes(r.allocPerOp())).append(" |\n");
        }
        out.append("\n");
      }
    }
    out.append("### Client / server split\n\nµs per handshake inside each engine (`clientNs / handshakes`,"
        + " `serverNs / handshakes`).\n\n");
    out.append("| protocol | key | variant | client µs | server µs |\n|---|---|---|---|---|\n");
    for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
      for (String key : new String[] {"EC_P256", "RSA_2048"}) {
        for (String v : VARIANTS) {
          Row r = find("HandshakeBenchmark.fullHandshake", "variant", v, "protocol", protocol, "key", key);
          if (r != null) {
            out.append("| ").append(protocol).append(" | ").append(key).append(" | ").append(v).append(" | ")
                .append(num(r.sideMicros(true))).append(" | ").append(num(r.sideMicros(false))).append(" |\n");
          }
        }
      }
    }
    out.append("\n");
  }

  private void resumption() {
    if (rows.stream().noneMatch(r -> r.benchmark().equals("ResumptionBenchmark.reconnect"))) {
      return;
    }
    out.append("## Resumption\n\n");
    out.append("| protocol | variant | resumed | reconnection µs (±) | ratio to the raw engine it wraps |"
        + " client / server µs | alloc/op |\n|---|---|---|---|---|---|---|\n");
    for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
      for (String v : VARIANTS) {
        Row r = find("ResumptionBenchmark.reconnect", "variant", v, "protocol", protocol);
        if (r == null) {
          continue;
        }
        Row raw = find("ResumptionBenchmark.reconnect", "variant", Variant.valueOf(v).wraps().name(), "protocol",
            protocol);
        double share = r.secondary("resumed") / r.secondary("handshakes");
        String resumed = Double.isNaN(share) ? "0 % (full handshakes)" : share > 0.999 ? "100 %"
            : share < 0.001 ? "0 % (full handshakes)" : String.format(Locale.ROOT, "%.1f %%", 100 * share);
        out.append("| ").append(protocol).append(" | ").append(v).append(" | ").append(resumed).append(" | ")
            .append(scored(r)).append(" | ")
            .append(Variant.valueOf(v).isMailTls() && raw != null ? ratio(r.score() / raw.score()) : "—").append(" | ")
            .append(num(r.sideMicros(true))).append(" / ").append(num(r.sideMicros(false))).append(" | ")
            .append(bytes(r.allocPerOp())).append(" |\n");
      }
    }
    out.append("\n");
  }

  private void trustDecision() {
    if (rows.stream().noneMatch(r -> r.benchmark().equals("TrustDecisionBenchmark.fullHandshake"))) {
      return;
    }
    out.append("## Trust decision: repeated vs new peer certificate\n\n");
    out.append("| variant | peer | handshake µs (±) | client µs | server µs | NEW − REPEAT, client µs | alloc/op |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (String v : new String[] {"MAILTLS_BCJSSE", "RAW_SUNJSSE"}) {
      Row repeat = find("TrustDecisionBenchmark.fullHandshake", "variant", v, "peer", "REPEAT");
      for (String peer : new String[] {"REPEAT", "NEW"}) {
        Row r = find("TrustDecisionBenchmark.fullHandshake", "variant", v, "peer", peer);
        if (r == null) {
          continue;
        }
        String delta = peer.equals("NEW") && repeat != null ? num(r.sideMicros(true) - repeat.sideMicros(true)) : "";
        out.append("| ").append(v).append(" | ").append(peer).append(" | ").append(scored(r)).append(" | ")
            .append(num(r.sideMicros(true))).append(" | ").append(num(r.sideMicros(false))).append(" | ")
            .append(delta).append(" | ").append(bytes(r.allocPerOp())).append(" |\n");
      }
    }
    out.append("\n");
  }

  private void sni() {
    if (rows.stream().noneMatch(r -> r.benchmark().equals("ServerSniBenchmark.sniHandshake"))) {
      return;
    }
    out.append("## Server-side SNI\n\n");
    out.append("| domains | handshake µs (±) | server µs per handshake | client µs | alloc/op |\n"
        + "|---|---|---|---|---|\n");
    for (String d : new String[] {"1", "10", "1000"}) {
      Row r = find("ServerSniBenchmark.sniHandshake", "domains", d);
      if (r != null) {
        out.append("| ").append(d).append(" | ").append(scored(r)).append(" | ").append(num(r.sideMicros(false)))
            .append(" | ").append(num(r.sideMicros(true))).append(" | ").append(bytes(r.allocPerOp())).append(" |\n");
      }
    }
    out.append("\n");
  }

  private void contexts() {
    if (rows.stream().noneMatch(r -> r.benchmark().startsWith("ContextBenchmark.")) && retainedKib.isEmpty()) {
      return;
    }
    out.append("## Context creation\n\n");
    out.append("| variant | account context µs (±) | alloc/context | retained KiB per context | client engine µs (±) |"
        + " alloc/engine |\n|---|---|---|---|---|---|\n");
    for (String v : VARIANTS) {
      Row c = find("ContextBenchmark.newAccountContext", "variant", v);
      Row e = find("ContextBenchmark.newClientEngine", "variant", v);
      out.append("| ").append(v).append(" | ").append(c == null ? "not run" : scored(c)).append(" | ")
          .append(c == null ? "" : bytes(c.allocPerOp())).append(" | ").append(retainedKib.getOrDefault(v, "not run"))
          .append(" | ").append(e == null ? "not run" : scored(e)).append(" | ")
          .append(e == null ? "" : bytes(e.allocPerOp())).append(" |\n");
    }
    out.append("\n");
  }

  private void micro() {
    boolean identity = rows.stream().anyMatch(r -> r.benchmark().startsWith("IdentityMatchBenchmark."));
    boolean pins = rows.stream().anyMatch(r -> r.benchmark().startsWith("PinLookupBenchmark."));
    if (!identity && !pins) {
      return;
    }
    out.append("## Micro-benchmarks\n\n");
    if (identity) {
      out.append("Identity check (`IdentityMatcher.strict()`):\n\n");
      out.append("| certificate shape | parse + match ns (±) | alloc/op | pre-parsed match ns (±) | alloc/op |\n"
          + "|---|---|---|---|---|\n");
      for (String shape : new String[] {"DNS_EXACT", "DNS_WILDCARD", "SRV_ID", "SAN_500_LAST"}) {
        Row p = find("IdentityMatchBenchmark.parseAndMatch", "shape", shape);
        Row m = find("IdentityMatchBenchmark.matchPreParsed", "shape", shape);
        out.append("| ").append(shape).append(" | ").append(p == null ? "not run" : scored(p)).append(" | ")
            .append(p == null ? "" : bytes(p.allocPerOp())).append(" | ").append(m == null ? "not run" : scored(m))
            .append(" | ").append(m == null ? "" : bytes(m.allocPerOp())).append(" |\n");
      }
      out.append("\n");
    }
    chainDecisions();
    if (pins) {
      out.append("Pin lookup (`InMemoryPinStore.find`, 100,000 pins):\n\n");
      out.append("| lookup | µs (±) | alloc/op |\n|---|---|---|\n");
      for (String l : new String[] {"HIT", "MISS"}) {
        Row r = find("PinLookupBenchmark.find", "lookup", l);
        if (r != null) {
          out.append("| ").append(l).append(" | ").append(scored(r)).append(" | ").append(bytes(r.allocPerOp()))
              .append(" |\n");
        }
      }
      out.append("\n");
    }
  }

  /** The validated-chain cache against full PKIX (ChainDecisionBenchmark; target: hit ≥ 5 × faster than fresh). */
  private void chainDecisions() {
    if (rows.stream().noneMatch(r -> r.benchmark().startsWith("ChainDecisionBenchmark."))) {
      return;
    }
    out.append("Chain decision (path, floors, EKU; no identity), `ChainDecisionBenchmark`:\n\n");
    out.append("| leaf key | cached repeat µs (±) | alloc/op | PKIX repeat µs (±) | PKIX fresh µs (±) |"
        + " fresh ÷ cached |\n|---|---|---|---|---|---|\n");
    for (String k : new String[] {"EC_P256", "RSA_2048"}) {
      Row c = find("ChainDecisionBenchmark.repeatedChainCached", "key", k);
      Row r = find("ChainDecisionBenchmark.repeatedChainPkix", "key", k);
      Row f = find("ChainDecisionBenchmark.freshChainPkix", "key", k);
      if (c == null || r == null || f == null) {
        continue;
      }
      out.append("| ").append(k).append(" | ").append(scored(c)).append(" | ").append(bytes(c.allocPerOp()))
          .append(" | ").append(scored(r)).append(" | ").append(scored(f)).append(" | ")
          .append(String.format(java.util.Locale.ROOT, "%.0f ×", f.score() / c.score())).append(" |\n");
    }
    out.append("\n");
  }

  private void cryptoFloor() {
    if (rows.stream().noneMatch(r -> r.benchmark().startsWith("CryptoFloorBenchmark."))) {
      return;
    }
    out.append("## Crypto floor\n\n");
    out.append("| operation | JDK µs (±) | bcprov µs (±) | bcprov / JDK |\n|---|---|---|---|\n");
    String[][] ops = {
        {"x25519KeyGen", "X25519 key-pair generation"}, {"x25519Agree", "X25519 key agreement"},
        {"p256KeyGen", "P-256 key-pair generation"}, {"p256Agree", "P-256 ECDH agreement"},
        {"ecdsaP256Sign", "ECDSA P-256 sign (SHA256withECDSA, 130 B)"}, {"ecdsaP256Verify", "ECDSA P-256 verify"},
        {"rsa2048Sign", "RSA-2048 sign (SHA256withRSA, 130 B)"}, {"rsa2048Verify", "RSA-2048 verify"}};
    for (String[] op : ops) {
      Row j = find("CryptoFloorBenchmark." + op[0], "provider", "JDK");
      Row b = find("CryptoFloorBenchmark." + op[0], "provider", "BCPROV");
      out.append("| ").append(op[1]).append(" | ").append(j == null ? "not run" : scored(j)).append(" | ")
          .append(b == null ? "not run" : scored(b)).append(" | ")
          .append(j == null || b == null ? "" : ratio(b.score() / j.score())).append(" |\n");
    }
    out.append("\nFull-handshake floor, 2 × (X25519 keygen + agreement) + sign + verify:\n\n");
    out.append("| certificate key | JDK µs | bcprov µs |\n|---|---|---|\n");
    for (String key : new String[] {"EC_P256", "RSA_2048"}) {
      out.append("| ").append(key).append(" | ").append(num(floor("RAW_SUNJSSE", key))).append(" | ")
          .append(num(floor("RAW_BCJSSE_BCPROV", key))).append(" |\n");
    }
    out.append("\n");
  }

  // -----------------------------------------------------------------------------------------------

  private static String scored(Row r) {
    return num(r.score()) + (Double.isNaN(r.error()) ? "" : " ± " + num(r.error()));
  }

  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  }

  private static String ratio(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String bytes(double b) {
    if (Double.isNaN(b)) {
      return "n/a";
    }
    return b >= 1024 ? String.format(Locale.ROOT, "%.0f KiB", b / 1024) : String.format(Locale.ROOT, "%.0f B", b);
  }
}
