package org.mailtls.cli;

import org.mailtls.cli.pin.PinAddCommand;
import org.mailtls.cli.pin.PinListCommand;
import org.mailtls.cli.pin.PinRemoveCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mailtls pin}: per-account certificate pins in a pin file (RFC 8314 §5.4). A pin is only
 * ever made from a refusal seen while setting an account up ({@code add}); it can be listed and
 * removed at any time.
 */
@Command(name = "pin", mixinStandardHelpOptions = true,
    description = "List, add (during account setup only) and remove per-account certificate pins (RFC 8314 §5.4).",
    subcommands = {PinListCommand.class, PinAddCommand.class, PinRemoveCommand.class})
public final class PinCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** For picocli. */
  public PinCommand() {}

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
