package org.mailtls.cli.probe;

import java.util.List;
import java.util.Optional;

/**
 * Everything one probe found, for both renderings ({@link TableReport}, {@link JsonReport}), so the
 * table and the JSON cannot disagree about a fact.
 *
 * @param request what was probed
 * @param references the reference identities MailTLS checks the certificate against, described
 * @param main the connection through the MailTLS client policy
 * @param legacy the permissive "does it also accept ..." attempts
 * @param implicitTls for a STARTTLS service, the connection to the implicit-TLS partner port, if one
 *     could be made
 * @param implicitTlsUnavailable for a STARTTLS service, why no connection could be made to that port
 * @param verdicts every verdict, in report order
 */
public record ProbeResult(ProbeRequest request, List<String> references, Handshake main,
    List<LegacyClient.Attempt> legacy, Optional<Handshake> implicitTls, Optional<String> implicitTlsUnavailable,
    List<Verdict> verdicts) {

  /** True when every required verdict passed: the exit status is then 0. */
  public boolean meetsPolicy() {
    return verdicts.stream().noneMatch(Verdict::blocks);
  }

  /** The exit status this result stands for: 0 meets the policy, 1 does not. */
  public int exitStatus() {
    return meetsPolicy() ? 0 : 1;
  }
}
