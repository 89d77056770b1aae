package org.mailtls.policy.tls;

import static java.util.Objects.requireNonNull;

/**
 * One broken floor, as a value: the requirement ID it enforces (e.g. {@code TLS-25}), which
 * certificate or parameter broke it, and a message a user can act on.
 *
 * @param rule the requirement ID from requirements.md
 * @param subject what broke it, e.g. {@code certificate 0 (CN=mail.example.net)} or {@code protocol}
 * @param message what is wrong and what the floor is
 */
public record FloorViolation(String rule, String subject, String message) {
  public FloorViolation {
    requireNonNull(rule, "rule");
    requireNonNull(subject, "subject");
    requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return rule + ": " + subject + ": " + message;
  }
}
