package org.mailtls.policy.server;

import static java.util.Objects.requireNonNull;

/**
 * One result of {@link ServerCertificateCheck}: what is wrong with a server certificate, how bad it
 * is, and which requirement it breaks.
 *
 * <p>Why a value rather than an exception: a server operator should see every problem of a
 * configuration at once (an expired leaf and a missing intermediate are two fixes), and warnings
 * must reach the log without stopping the server.
 *
 * @param severity {@link Severity#ERROR} stops the server from starting; {@link Severity#WARNING} is
 *     logged
 * @param rule the requirement ID from requirements.md, e.g. {@code R8314-S-18}
 * @param subject what the finding is about, e.g. {@code certificate 0 (CN=mail.example.net)} or
 *     {@code name mail.example.org}
 * @param message what is wrong and how to fix it
 */
public record CertificateFinding(Severity severity, String rule, String subject, String message) {
  /** How bad a finding is. */
  public enum Severity {
    /** The server must not start with this certificate: clients following RFC 8314 will refuse it. */
    ERROR,
    /** The certificate works today but needs attention soon (for example, it expires within the window). */
    WARNING
  }

  /** Validates that no component is null or blank. */
  public CertificateFinding {
    requireNonNull(severity, "severity");
    requireNonNull(rule, "rule");
    requireNonNull(subject, "subject");
    requireNonNull(message, "message");
    if (rule.isBlank() || subject.isBlank() || message.isBlank()) {
      throw new IllegalArgumentException("rule, subject and message must not be blank: " + rule + ", " + subject);
    }
  }

  /** An ERROR finding. */
  public static CertificateFinding error(String rule, String subject, String message) {
    return new CertificateFinding(Severity.ERROR, rule, subject, message);
  }

  /** A WARNING finding. */
  public static CertificateFinding warning(String rule, String subject, String message) {
    return new CertificateFinding(Severity.WARNING, rule, subject, message);
  }

  /** True for {@link Severity#ERROR}. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The same finding about a more precise subject, e.g. with the key alias in front. */
  public CertificateFinding about(String prefix) {
    return new CertificateFinding(severity, rule, prefix + subject, message);
  }

  /** {@code ERROR R8314-S-18 certificate 0 (CN=...): message}. */
  @Override
  public String toString() {
    return severity + " " + rule + " " + subject + ": " + message;
  }
}
