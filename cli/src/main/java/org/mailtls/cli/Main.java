package org.mailtls.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code mailtls} command. */
@Command(
    name = "mailtls",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "RFC 8314 / RFC 7817 TLS policy for mail: see what MailTLS accepts, what it refuses, and why.",
    subcommands = {DemoCommand.class, ProbeCommand.class, PinCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its status (tests call this). */
  static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("mailtls: " + e.getMessage());
      return 2;
    });
    // Usage errors are one line and status 2, never the whole usage text (--help shows that).
    cli.setParameterExceptionHandler((e, argv) -> {
      CommandLine cmd = e.getCommandLine();
      cmd.getErr().println("mailtls " + cmd.getCommandName() + ": " + e.getMessage() + " (see: mailtls "
          + (cmd == cli ? "" : cmd.getCommandName() + " ") + "--help)");
      return 2;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reports the version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"mailtls " + (v != null ? v : "development build")};
    }
  }
}
