package org.mailtls.cli.probe;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.MailService;
import org.mailtls.policy.identity.ReferenceIdentities;
import org.mailtls.policy.identity.ReferenceIdentity;

/**
 * Runs a probe: the connection through the MailTLS client policy, the permissive legacy attempts
 * and, for a STARTTLS service, the implicit-TLS partner port; then the verdicts.
 *
 * <p>Each question gets its own connection (up to six), because a TLS server answers only one
 * ClientHello per connection. The legacy attempts run even when the policy connection failed: a
 * server with a wrong certificate that also accepts TLS 1.0 should hear about both.
 */
public final class Prober {
  private Prober() {}

  /**
   * Probes the server {@code r} names.
   *
   * @throws UsageException when the trust file is unusable
   * @throws CannotConnectException when no TCP connection to HOST:PORT can be made
   * @throws GeneralSecurityException when the MailTLS context cannot be built (a broken JVM)
   */
  public static ProbeResult run(ProbeRequest r, Progress progress)
      throws UsageException, CannotConnectException, GeneralSecurityException {
    SSLContext ctx = ClientContext.create(r);
    progress.step("connecting to " + r.address() + " (" + r.service().label() + (r.startTls() ? ", STARTTLS" : "")
        + ") with the MailTLS client policy over " + r.engine());
    Handshake main = PolicyHandshake.run(ctx, r.host(), r.port(), r.service(), r.timeout());
    List<LegacyClient.Attempt> legacy = new ArrayList<>();
    for (LegacyCheck check : LegacyCheck.values()) {
      progress.step("offering only " + describe(check) + " (permissive BouncyCastle client)");
      legacy.add(LegacyClient.attempt(check, r.host(), r.port(), r.service(), r.timeout()));
    }
    Optional<Handshake> implicit = Optional.empty();
    Optional<String> unavailable = Optional.empty();
    if (r.startTls()) {
      MailService partner = r.service().bundlePartner();
      progress.step("trying implicit TLS (" + partner.label() + ") on port " + r.implicitPort());
      try {
        implicit = Optional.of(PolicyHandshake.run(ctx, r.host(), r.implicitPort(), partner, r.timeout()));
      } catch (CannotConnectException e) {
        unavailable = Optional.of(e.getMessage());
      }
    }
    List<Verdict> verdicts = Verdicts.of(r, main, legacy, implicit, unavailable);
    return new ProbeResult(r, references(r), main, List.copyOf(legacy), implicit, unavailable, verdicts);
  }

  /** The reference identities, built the way MailTLS's trust manager builds them for this connection. */
  static List<String> references(ProbeRequest r) {
    try {
      Optional<AccountPolicy> account = r.account();
      ReferenceIdentities refs = account.isPresent()
          ? account.get().referencesFor(account.get().endpointFor(r.host(), r.port()).orElseThrow())
          : ReferenceIdentities.builder().host(r.host(), HostProvenance.USER_TYPED).emailDomainAsDnsId(false).build();
      return refs.all().stream().map(ReferenceIdentity::describe).map(Text::printable).toList();
    } catch (RuntimeException e) {
      return List.of("none: " + PolicyHandshake.oneLine(e));
    }
  }

  private static String describe(LegacyCheck c) {
    return switch (c) {
      case TLS10 -> "TLS 1.0";
      case TLS11 -> "TLS 1.1";
      case CBC -> "CBC suites over TLS 1.2";
      case STATIC_RSA -> "static-RSA suites over TLS 1.2";
    };
  }
}
