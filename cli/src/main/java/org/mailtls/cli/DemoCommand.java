package org.mailtls.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.IdentityMatch;
import org.mailtls.policy.identity.IdentityMatcher;
import org.mailtls.policy.identity.IdentityPolicy;
import org.mailtls.policy.identity.MailService;
import org.mailtls.policy.identity.ReferenceIdentities;
import org.mailtls.testing.TestPki;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code mailtls demo}: runs with no network and no arguments, and shows what MailTLS accepts and
 * refuses today. At this stage that is the identity engine (RFC 7817 §3 / RFC 9525 §6) over
 * certificates minted from a throw-away CA; the embedded TLS servers arrive with the provider.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Show, offline, what MailTLS accepts and what it refuses, and why.")
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--verbose", description = "Print the full explanation for accepted certificates too.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Ansi ansi = spec.commandLine().getColorScheme().ansi();
    out.println("MailTLS demo: the identity engine (RFC 7817 §3, RFC 9525 §6)");
    out.println("Built so far: identity matching, test PKI. Not yet: the JSSE provider, handshakes, pins, probes");
    out.println("(see README.md, 'Status').");
    out.println();
    TestPki pki = TestPki.create();
    List<DemoScenario> scenarios = DemoScenario.all(pki);
    ReferenceIdentities discovered = ReferenceIdentities.builder()
        .host("mail.example.net", HostProvenance.DNSSEC_SRV)
        .emailAddress("user@example.net")
        .service(MailService.IMAPS)
        .build();
    out.println("Account user@example.net, IMAPS on mail.example.net (found by DNSSEC-validated RFC 6186 discovery)");
    out.println("expects: " + discovered.all());
    out.println();
    int surprises = 0;
    int n = 0;
    for (DemoScenario s : scenarios) {
      n++;
      IdentityMatch m = IdentityMatcher.of(s.legacyCn() ? IdentityPolicy.builder().legacyCommonName(true).build()
          : IdentityPolicy.strict()).match(s.references(), s.certificate().certificate());
      boolean asExpected = m.isMatch() == s.shouldMatch();
      surprises += asExpected ? 0 : 1;
      String verdict = m.isMatch() ? ansi.string("@|bold,green ACCEPTED|@") : ansi.string("@|bold,red REFUSED|@");
      out.printf("%2d. %-58s %s%s%n", n, s.title(), verdict, asExpected ? "" : ansi.string("  @|bold,yellow (UNEXPECTED)|@"));
      if (!m.isMatch() || verbose) {
        for (String line : m.message().split("\n")) {
          out.println("      " + line);
        }
      } else {
        out.println("      " + m.message());
      }
    }
    out.println();
    out.printf("%d certificates checked, %d accepted as expected, %d refused as expected, %d unexpected.%n",
        n, scenarios.stream().filter(DemoScenario::shouldMatch).count(),
        scenarios.stream().filter(s -> !s.shouldMatch()).count(), surprises);
    out.flush();
    return surprises == 0 ? 0 : 1;
  }
}
