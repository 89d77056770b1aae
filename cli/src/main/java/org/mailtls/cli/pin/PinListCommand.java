package org.mailtls.cli.pin;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mailtls.policy.pin.CertificatePin;
import org.mailtls.policy.pin.FilePinStore;
import org.mailtls.policy.pin.PinStoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mailtls pin list}: the account's pins as a table (RFC 8314 §5.4, R8314-C-31). */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List the account's pins: fingerprint, endpoint, when it was taken, the chain seen, and the"
        + " failure the user accepted.",
        "Exit status: 0 listed (also when there are none), 2 the pin file cannot be read."})
public final class PinListCommand implements Callable<Integer> {
  /** Width the reason column is wrapped at. */
  private static final int REASON_WIDTH = 44;
  /** Hex digits shown of each chain fingerprint (64 bits: ample to tell certificates apart; the file has all). */
  private static final int CHAIN_DIGITS = 16;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin PinStoreOptions store = new PinStoreOptions();

  /** For picocli. */
  public PinListCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FilePinStore pins;
    try {
      pins = store.open();
    } catch (PinStoreException e) {
      spec.commandLine().getErr().println("mailtls: " + e.getMessage());
      return PinStoreOptions.STORE_ERROR;
    }
    List<CertificatePin> list = pins.pinsFor(store.account);
    out.println(list.size() + (list.size() == 1 ? " pin" : " pins") + " of account " + store.account + " in "
        + pins.file());
    if (!list.isEmpty()) {
      TextTable table = new TextTable(List.of("SHA-256 (pinned certificate)", "ENDPOINT", "PINNED AT",
          "CHAIN SEEN (leaf first)", "REASON ACCEPTED"));
      for (CertificatePin p : list) {
        List<String> chain = new ArrayList<>();
        for (String c : p.chainSha256()) {
          chain.add(c.substring(0, CHAIN_DIGITS) + "…");
        }
        table.add(List.of(List.of(p.sha256()), List.of(p.service().label() + "://" + p.host() + ":" + p.port()),
            List.of(p.pinnedAt().toString()), chain, TextTable.wrap(p.reason(), REASON_WIDTH)));
      }
      table.print(out);
      out.println("Chain fingerprints are abbreviated; the pin file holds them in full. A pinned connection is never"
          + " confidential (RFC 8314 §5.4); remove a pin with 'mailtls pin remove --sha256 HEX'.");
    }
    out.flush();
    return 0;
  }
}
