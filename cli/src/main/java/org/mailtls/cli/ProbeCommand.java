package org.mailtls.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.mailtls.cli.probe.CannotConnectException;
import org.mailtls.cli.probe.JsonReport;
import org.mailtls.cli.probe.ProbeRequest;
import org.mailtls.cli.probe.ProbeResult;
import org.mailtls.cli.probe.Prober;
import org.mailtls.cli.probe.Progress;
import org.mailtls.cli.probe.TableReport;
import org.mailtls.cli.probe.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mailtls probe}: connects to one mail server with the MailTLS client policy and reports
 * what it negotiates and presents, whether its identity verifies, and the RFC 8314 verdicts.
 *
 * <p>Exit status: 0 when the server meets the policy (verified identity, TLS 1.2+ with an allowed
 * suite, no legacy version or weak suite accepted, STARTTLS offered with a usable certificate), 1
 * when it does not, 2 for a usage error or when no connection can be made. Options are taken as
 * strings and validated by {@link ProbeRequest}, so every usage error is one line (picocli's own
 * conversion errors would print the whole usage text). Errors never show a stack trace unless
 * {@code --verbose}.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {"Connect to a mail server with the MailTLS client policy and report what it negotiates,"
        + " what it presents, and whether it meets RFC 8314 / RFC 7817.",
        "Exit status: 0 meets the policy, 1 does not, 2 usage error or cannot connect."})
final class ProbeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "HOST[:PORT]",
      description = "The server; the port defaults from --service (993 imaps, 995 pop3s, 465 submissions, 143 imap,"
          + " 110 pop3, 587 submission) and the service from the port. IPv6: [addr]:port.")
  @Nullable String target;

  @Option(names = "--service", paramLabel = "SERVICE",
      description = "imaps, pop3s, submissions (implicit TLS) or imap, pop3, submission (STARTTLS).")
  @Nullable String service;

  @Option(names = "--starttls", description = "Use STARTTLS (implied for imap, pop3 and submission).")
  boolean startTls;

  @Option(names = "--email", paramLabel = "USER@DOMAIN",
      description = "Judge the server for this account: its domain is a reference identity too (RFC 7817 §3).")
  @Nullable String email;

  @Option(names = "--trust", paramLabel = "FILE",
      description = "PEM file of trust anchors (default: the JDK's trust store).")
  @Nullable Path trust;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "BCJSSE",
      description = "JSSE engine under MailTLS: BCJSSE (default) or SunJSSE.")
  String engine = "BCJSSE";

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Bound for each connect, dialogue and handshake (default: 10).")
  String timeout = "10";

  @Option(names = "--verbose", description = "Show progress on stderr, and stack traces for errors.")
  boolean verbose;

  /** For tests: where the implicit-TLS partner listens instead of its standard port. */
  @Option(names = "--implicit-port", hidden = true)
  @Nullable String implicitPort;

  /**
   * Unknown options and extra arguments, collected instead of letting picocli reject them, so that
   * they too are reported in one line rather than with the whole usage text.
   */
  @CommandLine.Unmatched
  java.util.List<String> unmatched = new java.util.ArrayList<>();

  /** Picocli instantiates it. */
  ProbeCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (!unmatched.isEmpty()) {
        throw new UsageException("unknown option or extra argument \"" + unmatched.get(0)
            + "\" (see mailtls probe --help)");
      }
      if (target == null) {
        throw new UsageException("give the server as HOST[:PORT] (see mailtls probe --help)");
      }
      ProbeRequest request = ProbeRequest.of(target, service, startTls, email, trust, engine, implicitPort, timeout);
      // System.console() is non-null only with a terminal attached: no progress noise in pipes and scripts.
      Progress progress = verbose || System.console() != null ? Progress.to(err) : Progress.silent();
      ProbeResult result = Prober.run(request, progress);
      out.print(json ? JsonReport.render(result) : TableReport.render(result, spec.commandLine().getColorScheme().ansi()));
      out.flush();
      return result.exitStatus();
    } catch (UsageException | CannotConnectException e) {
      return fail(out, err, e.getMessage(), e);
    } catch (Exception | LinkageError e) { // anything else: still one line and status 2
      return fail(out, err, e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : ""), e);
    }
  }

  private int fail(PrintWriter out, PrintWriter err, String message, Throwable e) {
    String line = message.replace('\n', ' ');
    err.println("mailtls probe: " + line);
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    if (json) {
      out.print(JsonReport.error(line));
      out.flush();
    }
    return 2;
  }
}
