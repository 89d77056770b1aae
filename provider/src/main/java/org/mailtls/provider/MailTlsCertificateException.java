package org.mailtls.provider;

import java.security.cert.CertificateException;
import org.mailtls.policy.TrustDecision;

/**
 * The {@link CertificateException} MailTLS's trust manager throws; it carries the decision, so a
 * caller can show the reason (reference identifiers, presented identifiers, the rule broken, the
 * fix) without parsing the message. Engines bury it in their {@code SSLHandshakeException}'s
 * causes: {@link MailTls#decisionOf(Throwable)} digs it out.
 */
public final class MailTlsCertificateException extends CertificateException {
  private static final long serialVersionUID = 1L;

  private final transient TrustDecision.Refused decision;

  MailTlsCertificateException(TrustDecision.Refused decision) {
    super(decision.message());
    this.decision = decision;
  }

  /** The refusal, as a value. */
  public TrustDecision.Refused decision() {
    return decision;
  }
}
