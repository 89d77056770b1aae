package org.mailtls.provider;

import java.io.IOException;
import org.mailtls.policy.ConnectionAssessment;

/**
 * Thrown by {@link MailTls#requireMinimumConfidentiality} when a connection does not meet the
 * account's minimum confidentiality level, before the mail stack sends credentials or mail
 * (RFC 8314 §5.2, R8314-C-22). An {@link IOException}, because protocol code already handles those
 * by closing the connection.
 */
public final class MinimumConfidentialityException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient ConnectionAssessment assessment;

  MinimumConfidentialityException(String accountId, ConnectionAssessment assessment) {
    super("account " + accountId + " requires the minimum confidentiality level (RFC 8314 §5.2), and this"
        + " connection does not meet it: " + assessment.summary() + "; nothing but capability discovery and STARTTLS"
        + " may be sent on it");
    this.assessment = assessment;
  }

  /** What the connection is. */
  public ConnectionAssessment assessment() {
    return assessment;
  }
}
