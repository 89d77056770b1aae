package org.mailtls.cli.pin;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mailtls.policy.pin.FilePinStore;
import org.mailtls.policy.pin.PinStoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mailtls pin remove}: removes the account's pin of one certificate, on every endpoint (R8314-C-31). */
@Command(name = "remove", mixinStandardHelpOptions = true,
    description = {"Remove the account's pins of the certificate with this SHA-256 (on every endpoint). A running"
        + " client stops accepting it on its next handshake.",
        "Exit status: 0 removed, 1 no such pin, 2 the pin file cannot be read or written."})
public final class PinRemoveCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin PinStoreOptions store = new PinStoreOptions();

  @Option(names = "--sha256", required = true, paramLabel = "HEX",
      description = "The pinned certificate's SHA-256 as listed by 'mailtls pin list' (64 hex digits; colons and"
          + " upper case are accepted).")
  String sha256 = "";

  /** For picocli. */
  public PinRemoveCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String hex = sha256.replace(":", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--sha256 must be a SHA-256 of 64 hex digits, not \"" + sha256 + "\"");
    }
    FilePinStore pins;
    int removed;
    try {
      pins = store.open();
      removed = pins.remove(store.account, hex);
    } catch (PinStoreException e) {
      spec.commandLine().getErr().println("mailtls: " + e.getMessage());
      return PinStoreOptions.STORE_ERROR;
    }
    if (removed == 0) {
      out.println("No pin of account " + store.account + " has SHA-256 " + hex + " in " + pins.file()
          + "; nothing removed.");
      out.flush();
      return 1;
    }
    out.println("Removed " + removed + (removed == 1 ? " pin record" : " pin records") + " of account "
        + store.account + " with SHA-256 " + hex + " from " + pins.file() + ".");
    out.flush();
    return 0;
  }
}
