package org.mailtls.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailtls.cli.demo.ConnectionDemo;
import org.mailtls.cli.demo.DemoServers;
import org.mailtls.cli.demo.QuietServerLog;
import org.mailtls.cli.demo.Verdict;
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
 * refuses, and why. Part 1 starts embedded mail servers on 127.0.0.1 with certificates from a
 * throw-away CA (compliant, wrong name, TLS 1.1 only, STARTTLS only) and connects to each with
 * MailTLS; part 2 runs the identity engine (RFC 7817 §3 / RFC 9525 §6) alone over 13 certificates.
 * The exit status is 0 only when every verdict is the expected one; the last line counts them.
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
    out.println("MailTLS demo: what MailTLS accepts, what it refuses, and why (offline: loopback servers only)");
    out.println();
    List<Verdict> connections;
    QuietServerLog quiet = QuietServerLog.start();
    try (DemoServers servers = DemoServers.start()) {
      out.println("Part 1: MailTLS connecting to 4 embedded mail servers on 127.0.0.1");
      out.println("Throw-away CA \"" + servers.caName() + "\" is the only trust anchor; account " + ConnectionDemo.EMAIL
          + " (minimum confidentiality level on);");
      out.println("every server is reached as " + DemoServers.HOST + ".");
      String row = "  %-74s port %d%n";
      out.printf(row, "compliant IMAPS: TLS 1.3/1.2, AEAD only, certificate for " + DemoServers.HOST,
          servers.compliantPort());
      out.printf(row, "IMAPS with a certificate for " + DemoServers.WRONG_NAME, servers.wrongNamePort());
      out.printf(row, "legacy IMAPS speaking only TLS 1.1 (BouncyCastle low-level TLS API)", servers.legacyPort());
      out.printf(row, "IMAP offering TLS only through STARTTLS", servers.startTlsPort());
      out.println();
      connections = ConnectionDemo.run(servers);
    } catch (IOException | GeneralSecurityException e) {
      out.flush();
      spec.commandLine().getErr().println("mailtls: the demo servers could not start: " + e);
      return 1;
    } finally {
      quiet.close();
    }
    print(out, ansi, connections);
    out.println();

    out.println("Part 2: the identity engine alone (RFC 7817 §3, RFC 9525 §6) over 13 certificates");
    ReferenceIdentities discovered = ReferenceIdentities.builder()
        .host("mail.example.net", HostProvenance.DNSSEC_SRV)
        .emailAddress("user@example.net")
        .service(MailService.IMAPS)
        .build();
    out.println("Account user@example.net, IMAPS on mail.example.net (found by DNSSEC-validated RFC 6186 discovery)");
    out.println("expects: " + discovered.all());
    out.println();
    List<Verdict> certificates = identityVerdicts();
    print(out, ansi, certificates);
    out.println();

    List<Verdict> all = new ArrayList<>(connections);
    all.addAll(certificates);
    long accepted = all.stream().filter(v -> v.asExpected() && v.accepted()).count();
    long refused = all.stream().filter(v -> v.asExpected() && !v.accepted()).count();
    long surprises = all.stream().filter(v -> !v.asExpected()).count();
    out.printf("%d connections and %d certificates checked, %d accepted as expected, %d refused as expected,"
        + " %d unexpected.%n", connections.size(), certificates.size(), accepted, refused, surprises);
    out.flush();
    return surprises == 0 ? 0 : 1;
  }

  private List<Verdict> identityVerdicts() {
    List<Verdict> out = new ArrayList<>();
    for (DemoScenario s : DemoScenario.all(TestPki.create())) {
      IdentityMatch m = IdentityMatcher.of(s.legacyCn() ? IdentityPolicy.builder().legacyCommonName(true).build()
          : IdentityPolicy.strict()).match(s.references(), s.certificate().certificate());
      List<String> lines = Arrays.asList(m.message().split("\n"));
      out.add(new Verdict(s.title(), m.isMatch(), m.isMatch() == s.shouldMatch(),
          m.isMatch() && !verbose ? lines.subList(0, 1) : lines));
    }
    return out;
  }

  private static void print(PrintWriter out, Ansi ansi, List<Verdict> verdicts) {
    int n = 0;
    for (Verdict v : verdicts) {
      n++;
      String verdict = v.accepted() ? ansi.string("@|bold,green ACCEPTED|@") : ansi.string("@|bold,red REFUSED|@");
      out.printf("%2d. %-58s %s%s%n", n, v.title(), verdict,
          v.asExpected() ? "" : ansi.string("  @|bold,yellow (UNEXPECTED)|@"));
      for (String line : v.details()) {
        out.println("      " + line);
      }
    }
  }
}
