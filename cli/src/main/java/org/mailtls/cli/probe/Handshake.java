package org.mailtls.cli.probe;

import java.util.List;
import java.util.Optional;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.ConnectionAssessment;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.MailService;

/**
 * What one connection through the MailTLS client policy showed: the cleartext capabilities (for
 * STARTTLS), what was negotiated, the chain, MailTLS's decision and assessment, or why TLS did not
 * complete.
 *
 * @param host the host connected to (the reference host)
 * @param port the port connected to
 * @param service the service spoken there
 * @param beforeTls the capabilities advertised before STARTTLS, for a STARTTLS service that got that far
 * @param failure one line saying why no TLS session was established; empty when one was
 * @param decision MailTLS's decision: Accepted from the session, Refused from the handshake's exception
 * @param protocol the negotiated version, e.g. {@code TLSv1.3}
 * @param cipherSuite the negotiated suite
 * @param group the negotiated key-exchange group, when MailTLS saw it
 * @param chain the certificates presented, leaf first (also for a refused chain)
 * @param assessment {@code MailTls.assess(socket)} after a completed handshake
 */
record Handshake(String host, int port, MailService service, Optional<Capabilities> beforeTls,
    Optional<String> failure, Optional<TrustDecision> decision, Optional<String> protocol,
    Optional<String> cipherSuite, Optional<String> group, List<CertificateInfo> chain,
    Optional<ConnectionAssessment> assessment) {

  /** A connection on which TLS never completed. */
  static Handshake failed(String host, int port, MailService service, Optional<Capabilities> beforeTls,
      String failure, Optional<TrustDecision> decision, List<CertificateInfo> chain) {
    return new Handshake(host, port, service, beforeTls, Optional.of(failure), decision, Optional.empty(),
        Optional.empty(), Optional.empty(), chain, Optional.empty());
  }

  /** True when the TLS handshake completed. */
  boolean completed() {
    return failure.isEmpty();
  }

  /** True when MailTLS rated the connection VERIFIED: TLS 1.2+, validated chain, identity match. */
  boolean verified() {
    return assessment.map(a -> a.level() == ConfidentialityLevel.VERIFIED).orElse(false);
  }

  /** The refusal, when MailTLS refused the certificate. */
  Optional<TrustDecision.Refused> refusal() {
    return decision.filter(d -> d instanceof TrustDecision.Refused).map(d -> (TrustDecision.Refused) d);
  }

  /** The acceptance, when MailTLS accepted the certificate. */
  Optional<TrustDecision.Accepted> acceptance() {
    return decision.filter(d -> d instanceof TrustDecision.Accepted).map(d -> (TrustDecision.Accepted) d);
  }
}
