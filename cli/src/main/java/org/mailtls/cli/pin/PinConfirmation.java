package org.mailtls.cli.pin;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.IdentityMatch;
import org.mailtls.policy.pin.CertificatePin;
import org.mailtls.policy.pin.FilePinStore;
import org.mailtls.policy.pin.InMemoryPinStore;
import org.mailtls.policy.pin.PinGrant;
import org.mailtls.policy.pin.PinStoreException;
import picocli.CommandLine;

/**
 * The second half of {@code pin add}: what the user sees of a refusal (the certificate, MailTLS's
 * reason, the exact pin that would be stored), the confirmation, and the grant. The pin shown is
 * made by {@code PinGrant} itself (into a scratch store, on the same fixed clock), so what is shown
 * is byte for byte what is stored.
 */
final class PinConfirmation {
  private final CommandLine.Model.CommandSpec spec;
  private final FilePinStore pins;
  private final AccountPolicy account;
  private final MailEndpoint endpoint;
  private final boolean yes;

  PinConfirmation(CommandLine.Model.CommandSpec spec, FilePinStore pins, AccountPolicy account, MailEndpoint endpoint,
      boolean yes) {
    this.spec = spec;
    this.pins = pins;
    this.account = account;
    this.endpoint = endpoint;
    this.yes = yes;
  }

  /** Shows the refusal and, when a pin may answer it and the user agrees, stores the pin; the exit status. */
  int offer(TrustDecision.Refused refusal) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    out.println("MailTLS refused the server's certificate (" + refusal.rule() + "):");
    String why = refusal.identityMismatch().map(IdentityMatch.NotMatched::message).orElse(refusal.reason());
    for (String line : why.split("\n")) {
      out.println("  " + line);
    }
    refusal.violations().forEach(v -> out.println("  " + v));
    if (refusal.identityMismatch().isEmpty()) {
      out.println("  fix: " + refusal.fix());
    }
    out.println();
    out.println("The certificate the server presented:");
    CertificateText.describeChain(refusal.presented(), clock.instant()).forEach(l -> out.println("  " + l));
    out.println();
    if (!refusal.pinnable()) {
      out.println("A pin cannot stand in for this failure (" + refusal.rule() + "): pins replace chain, expiry and"
          + " name validation, never the TLS version, cipher suite, key-size or signature floors (RFC 8314 §5.4).");
      out.println("Nothing was pinned.");
      out.flush();
      return 1;
    }
    CertificatePin preview;
    try {
      preview = PinGrant.grant(account, endpoint, refusal, new InMemoryPinStore(), clock);
    } catch (IllegalStateException | PinStoreException e) {
      out.println("MailTLS does not allow a pin here: " + e.getMessage() + "\nNothing was pinned.");
      out.flush();
      return 1;
    }
    out.println("The pin that would be stored in " + pins.file() + ":");
    describe(out, preview);
    out.println("With it, account " + account.accountId() + " accepts exactly this certificate on this endpoint;"
        + " its connections there are PINNED, never confidential (RFC 8314 §5.4).");
    out.flush();
    if (!confirmed(err)) {
      out.println("Nothing was pinned.");
      out.flush();
      return 1;
    }
    CertificatePin stored;
    try {
      stored = PinGrant.grant(account, endpoint, refusal, pins, clock);
    } catch (PinStoreException e) {
      err.println("mailtls: " + e.getMessage());
      return PinStoreOptions.STORE_ERROR;
    }
    out.println("Pinned: sha256 " + stored.sha256() + " for account " + stored.accountId() + " at "
        + stored.service().label() + "://" + stored.host() + ":" + stored.port() + " (stored in " + pins.file() + ").");
    out.flush();
    return 0;
  }

  private boolean confirmed(PrintWriter err) {
    if (yes) {
      return true;
    }
    Console console = System.console();
    if (console == null) {
      err.println("mailtls: no terminal to ask for confirmation on; run again with --yes to store this pin.");
      err.flush();
      return false;
    }
    String answer = console.readLine("Store this pin for account %s? [y/N] ", account.accountId());
    return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().toLowerCase(Locale.ROOT).equals("yes"));
  }

  static void describe(PrintWriter out, CertificatePin p) {
    out.println("  account:    " + p.accountId());
    out.println("  endpoint:   " + p.service().label() + "://" + p.host() + ":" + p.port());
    out.println("  SHA-256:    " + p.sha256());
    out.println("  pinned at:  " + p.pinnedAt());
    for (int i = 0; i < p.chainSha256().size(); i++) {
      out.println((i == 0 ? "  chain seen: " : "              ") + p.chainSha256().get(i));
    }
    out.println("  reason:     " + p.reason());
  }
}
