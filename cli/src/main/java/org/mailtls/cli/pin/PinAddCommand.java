package org.mailtls.cli.pin;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.mailtls.cli.PemTrustStore;
import org.mailtls.policy.AccountPhase;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.MclWaiver;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.MailService;
import org.mailtls.policy.pin.FilePinStore;
import org.mailtls.policy.pin.PinStoreException;
import org.mailtls.provider.MailTls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mailtls pin add}: the setup-phase pin of RFC 8314 §5.4, made the only way MailTLS allows.
 * It connects as an account in {@link AccountPhase#SETUP} with the minimum confidentiality level off
 * (recording the standard warning, printed first); a VERIFIED server needs no pin; a pinnable
 * refusal is shown (certificate, reason, the pin) and, once confirmed, answered with {@code
 * PinGrant.grant}; a refusal no pin may stand in for is refused.
 */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = {"Connect to a mail server as an account being set up; if MailTLS refuses its certificate for a"
        + " reason a pin may stand in for (chain, expiry, name), show the certificate and the refusal and, once"
        + " confirmed, pin that exact certificate for this account and endpoint. A pinned connection is never"
        + " confidential, and only an account with the minimum confidentiality level off accepts it.",
        "Exit status: 0 pinned, or no pin needed; 1 refused, not confirmed, or the connection failed;"
            + " 2 the pin file or trust anchors cannot be read, or bad arguments."})
public final class PinAddCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin PinStoreOptions store = new PinStoreOptions();

  @Option(names = "--email", required = true, paramLabel = "ADDRESS",
      description = "The account's email address (its domain is also a reference identity, RFC 7817).")
  String email = "";

  @Option(names = "--host", required = true, paramLabel = "HOST",
      description = "The server's host name as the user typed it: what the certificate must prove.")
  String host = "";

  @Option(names = "--port", paramLabel = "N", description = "The port (default: the service's well-known port).")
  int port;

  @Option(names = "--service", required = true, paramLabel = "SERVICE", converter = ServiceConverter.class,
      completionCandidates = ServiceConverter.Labels.class,
      description = "One of: ${COMPLETION-CANDIDATES} (imap, pop3, submission and sieve use STARTTLS).")
  MailService service = MailService.IMAPS;

  @Option(names = "--yes", description = "Store the pin without asking (needed when there is no terminal).")
  boolean yes;

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "Trust anchors (PEM certificates) instead of the JDK's default trust store.")
  @Nullable Path caFile;

  @Option(names = "--connect-to", paramLabel = "ADDRESS",
      description = "Dial this address instead of resolving HOST; the certificate is still checked against HOST.")
  @Nullable String connectTo;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Connect and read timeout (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** For picocli. */
  public PinAddCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant now = Instant.now();
    MailEndpoint endpoint;
    AccountPolicy account;
    try {
      endpoint = MailEndpoint.of(host, port, service, HostProvenance.USER_TYPED);
      account = AccountPolicy.builder(store.account).emailAddress(email).addEndpoint(endpoint)
          .phase(AccountPhase.SETUP)
          .withoutMinimumConfidentiality(new MclWaiver(MclWaiver.STANDARD_WARNING, now))
          .build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    out.println("Account " + store.account + " is being set up with the minimum confidentiality level OFF"
        + " (RFC 8314 §5.2). The warning recorded for it:");
    TextTable.wrap(MclWaiver.STANDARD_WARNING, 96).forEach(l -> out.println("  " + l));
    out.println();
    FilePinStore pins;
    KeyStore anchors;
    SSLContext ctx;
    try {
      pins = store.open();
      anchors = caFile == null ? null : loadAnchors(caFile);
      ctx = MailConnector.clientContext(account, anchors, pins);
    } catch (PinStoreException | IOException | GeneralSecurityException e) {
      out.flush();
      err.println("mailtls: " + e.getMessage());
      return PinStoreOptions.STORE_ERROR;
    }
    String address = connectTo != null ? connectTo : host;
    out.println("Connecting to " + endpoint.service().label() + "://" + host + ":" + endpoint.port()
        + (address.equals(host) ? "" : " at " + address)
        + (service.implicitTls() ? " (implicit TLS)" : " (STARTTLS)") + " ...");
    out.flush();
    try (SSLSocket tls = MailConnector.connect(ctx, host, address, endpoint.port(), service,
        Math.max(1, timeoutSeconds) * 1000)) {
      return accepted(out, MailTls.decisionOf(tls.getSession()));
    } catch (IOException e) {
      Optional<TrustDecision.Refused> refusal = MailTls.decisionOf(e);
      if (refusal.isEmpty()) {
        out.println("The connection failed before MailTLS had a certificate to judge: " + e.getMessage());
        out.println("Nothing was pinned: a pin answers a refused certificate only, never an unreachable server"
            + " or a failed TLS negotiation (version, cipher suite).");
        out.flush();
        return 1;
      }
      return new PinConfirmation(spec, pins, account, endpoint, yes).offer(refusal.get());
    }
  }

  private static int accepted(PrintWriter out, Optional<TrustDecision> decision) {
    if (decision.isPresent() && decision.get() instanceof TrustDecision.Accepted) {
      TrustDecision.Accepted a = (TrustDecision.Accepted) decision.get();
      if (a.level() == ConfidentialityLevel.PINNED) {
        out.println("Already pinned: " + a.pinUsed().map(Object::toString).orElse("?") + ".");
        out.println("Nothing was added. The connection is PINNED: never confidential (RFC 8314 §5.4).");
      } else {
        out.println("VERIFIED: " + a.message());
        out.println("No pin is needed: the certificate validates against the trust anchors and proves the"
            + " server's identity. Nothing was added.");
      }
      out.flush();
      return 0;
    }
    out.println("The handshake completed, but MailTLS recorded no decision for it; nothing was added.");
    out.flush();
    return 1;
  }

  /** Converts a service label ({@code imaps}, {@code submission}, ...) to a {@link MailService}. */
  static final class ServiceConverter implements CommandLine.ITypeConverter<MailService> {
    @Override
    public MailService convert(String value) {
      return MailService.fromLabel(value).orElseThrow(() -> new CommandLine.TypeConversionException(
          "unknown mail service \"" + value + "\"; expected one of " + String.join(", ", new Labels())));
    }

    /** The service labels, for the help text. */
    static final class Labels extends java.util.ArrayList<String> {
      private static final long serialVersionUID = 1L;

      Labels() {
        for (MailService s : MailService.values()) {
          add(s.label());
        }
      }
    }
  }

  /** The --ca anchors ({@link PemTrustStore}); the message names the option and the file. */
  private static KeyStore loadAnchors(Path caFile) throws IOException {
    try {
      return PemTrustStore.load(caFile);
    } catch (IOException e) {
      throw new IOException("--ca-file " + caFile + ": " + e.getMessage(), e);
    }
  }
}
