package org.mailtls.cli.probe;

import java.util.List;
import org.mailtls.policy.ConnectionAssessment;
import picocli.CommandLine.Help.Ansi;

/**
 * The human rendering of a {@link ProbeResult}: the negotiated parameters, the chain, the identity
 * decision, the verdicts and the result, as aligned label/value tables.
 *
 * <p>Colour goes only on fixed words (PASS, FAIL, the result line) through picocli's {@link Ansi}, so
 * it appears only on a terminal ({@code Ansi.AUTO}), and server-controlled text never passes through
 * picocli's markup parser (a certificate subject containing {@code @|...|@} stays text).
 */
public final class TableReport {
  /** Width of the label column; "confidentiality" plus two spaces. */
  static final int LABEL_WIDTH = 17;

  private final StringBuilder b = new StringBuilder(4096);
  private final Ansi ansi;

  private TableReport(Ansi ansi) {
    this.ansi = ansi;
  }

  /** The report as text, ending with a newline. */
  public static String render(ProbeResult r, Ansi ansi) {
    TableReport t = new TableReport(ansi);
    t.write(r);
    return t.b.toString();
  }

  private void write(ProbeResult r) {
    ProbeRequest q = r.request();
    b.append("MailTLS probe of ").append(q.address()).append(" (").append(q.service().label())
        .append(q.startTls() ? ", STARTTLS" : ", implicit TLS").append(") over ").append(q.engine())
        .append(q.email().map(e -> ", account " + e).orElse("")).append('\n');
    connection("Connection", r.main());
    chain(r.main());
    identity(IdentityFacts.of(r.main(), r.references()));
    b.append("\nVerdicts\n");
    for (Verdict v : r.verdicts()) {
      b.append("  ").append(status(v.status())).append(' ').append(v.title()).append("  [").append(v.rule()).append("]\n");
      b.append("          ").append(v.detail()).append('\n');
    }
    r.implicitTls().ifPresent(h -> connection("Implicit TLS partner (" + h.service().label() + ")", h));
    long blocking = r.verdicts().stream().filter(Verdict::blocks).count();
    b.append('\n');
    if (r.meetsPolicy()) {
      b.append(ansi.string("@|bold,green Result: meets the MailTLS policy|@"));
    } else {
      b.append(ansi.string("@|bold,red Result: does NOT meet the MailTLS policy|@"))
          .append(" (").append(blocking).append(blocking == 1 ? " required check" : " required checks")
          .append(" not passed)");
    }
    b.append('\n');
  }

  private void connection(String title, Handshake h) {
    b.append('\n').append(title).append('\n');
    row("address", (h.host().indexOf(':') >= 0 ? "[" + h.host() + "]" : h.host()) + ":" + h.port());
    h.beforeTls().ifPresent(c -> row("before TLS", String.join(" ", c.advertised().stream().map(Text::printable)
        .toList())));
    if (!h.completed()) {
      row("failure", h.failure().get());
    }
    row("version", h.protocol().orElse("-"));
    row("cipher suite", h.cipherSuite().orElse("-"));
    row("group", h.group().orElse(h.completed() ? "unknown (not seen in the handshake)" : "-"));
    if (h.assessment().isPresent()) {
      ConnectionAssessment a = h.assessment().get();
      row("confidentiality", level(a) + (a.shortfalls().isEmpty() ? "" : ": " + String.join("; ", a.shortfalls())));
    } else {
      row("confidentiality", "NONE (no TLS session)");
    }
  }

  private void chain(Handshake h) {
    b.append("\nCertificate chain (as presented, leaf first)\n");
    if (h.chain().isEmpty()) {
      b.append("  none seen\n");
      return;
    }
    List<CertificateInfo> chain = h.chain();
    for (int i = 0; i < chain.size(); i++) {
      CertificateInfo c = chain.get(i);
      b.append("  ").append(i).append("  ").append(c.subject().isEmpty() ? "(empty subject DN)" : c.subject())
          .append('\n');
      row("    key", c.keyDetail());
      row("    signature", c.signatureAlgorithm() + " by " + c.issuer());
      row("    valid", c.notBefore() + " to " + c.notAfter());
      row("    sha256", c.sha256());
    }
  }

  private void identity(IdentityFacts f) {
    b.append("\nIdentity (RFC 7817, RFC 9525)\n");
    for (int i = 0; i < f.expected().size(); i++) {
      row(i == 0 ? "expected" : "", f.expected().get(i));
    }
    if (f.matchedReference().isPresent()) {
      row("matched", f.matchedReference().get() + " by " + f.matchedPresented().orElse("?") + " ("
          + f.matchKind().orElse("?") + ")");
      row("verdict", f.verified() ? ansi.string("@|bold,green VERIFIED|@") : "not verified");
      return;
    }
    for (int i = 0; i < f.presented().size(); i++) {
      row(i == 0 ? "presented" : "", f.presented().get(i));
    }
    for (int i = 0; i < f.ignored().size(); i++) {
      row(i == 0 ? "ignored" : "", f.ignored().get(i));
    }
    row("verdict", ansi.string("@|bold,red NOT VERIFIED|@") + f.rule().map(r -> " (" + r + ")").orElse(""));
    if (f.explanation().isPresent()) {
      String[] lines = f.explanation().get().split("\n");
      for (int i = 0; i < lines.length; i++) {
        row(i == 0 ? "why" : "", lines[i]);
      }
    }
  }

  private String level(ConnectionAssessment a) {
    String name = a.level().name();
    return a.isConfidential() ? ansi.string("@|bold,green " + name + "|@") : ansi.string("@|bold,red " + name + "|@");
  }

  private String status(Verdict.Status s) {
    return switch (s) {
      case PASS -> ansi.string("@|bold,green PASS|@") + "   ";
      case FAIL -> ansi.string("@|bold,red FAIL|@") + "   ";
      case UNKNOWN -> ansi.string("@|bold,yellow UNKNOWN|@");
      case WARN -> ansi.string("@|yellow WARN|@") + "   ";
    };
  }

  private void row(String label, String value) {
    b.append("  ").append(String.format("%-" + LABEL_WIDTH + "s", label)).append(value).append('\n');
  }
}
