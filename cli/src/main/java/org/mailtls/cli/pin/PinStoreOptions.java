package org.mailtls.cli.pin;

import java.nio.file.Path;
import org.mailtls.policy.pin.FilePinStore;
import org.mailtls.policy.pin.PinStoreException;
import picocli.CommandLine.Option;

/** The options every {@code mailtls pin} subcommand takes: which pin file, which account. */
public final class PinStoreOptions {
  /** Exit status when the pin file cannot be read or written (corrupt, newer format, no directory). */
  static final int STORE_ERROR = 2;

  @Option(names = "--store", required = true, paramLabel = "FILE",
      description = "The pin file (versioned text; created with the first pin, in an existing directory).")
  Path file = Path.of("");

  @Option(names = "--account", required = true, paramLabel = "ID",
      description = "The account whose pins these are (pins never apply to another account).")
  String account = "";

  /** Opens the store; a corrupt or newer-version file is refused and left untouched. */
  FilePinStore open() throws PinStoreException {
    return FilePinStore.open(file);
  }
}
