package org.mailtls.policy;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;
import java.time.Instant;

/**
 * The record that a user switched an account's minimum confidentiality level off after being
 * warned (RFC 8314 §5.2, R8314-C-21): the warning text shown and when it was acknowledged. It is an
 * account-level choice; there is no per-connection "continue anyway" (R8314-C-23).
 *
 * @param warningShown the exact warning the user acknowledged
 * @param acknowledgedAt when
 */
@Immutable
public record MclWaiver(String warningShown, Instant acknowledgedAt) {
  /** The warning MailTLS recommends showing (RFC 8314 §5.2: neither passwords nor mail stay private). */
  public static final String STANDARD_WARNING = "Without the minimum confidentiality level, this account may"
      + " connect to servers whose identity MailTLS could not verify. Your password and your messages may then be"
      + " read or changed by others on the network.";

  public MclWaiver {
    requireNonNull(warningShown, "warningShown");
    requireNonNull(acknowledgedAt, "acknowledgedAt");
    if (warningShown.isBlank()) {
      throw new IllegalArgumentException("the acknowledged warning text must be recorded");
    }
  }
}
