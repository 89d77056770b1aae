package org.mailtls.policy.limbo;

import org.jspecify.annotations.Nullable;

/**
 * What the harness decided for one testcase. Small on purpose: the certificates are not kept.
 *
 * @param actual SUCCESS or FAILURE, or {@code null} when the case was skipped
 * @param reason why the case failed (path and/or name reason) or why it was skipped; empty for a
 *     plain success
 * @param nameMatch the identity engine's {@code MatchKind} when the peer name matched, else null
 * @param description the upstream description, kept only for wrong and skipped cases
 */
record LimboResult(
    int index,
    String id,
    String expected,
    @Nullable String actual,
    String reason,
    @Nullable String nameMatch,
    @Nullable String description) {

  enum Status { RIGHT, WRONG, SKIPPED }

  static LimboResult skipped(int index, LimboCase c, String why) {
    return new LimboResult(index, c.id(), c.expectedResult(), null, why, null, c.description());
  }

  static LimboResult decided(int index, LimboCase c, boolean success, String reason) {
    return decided(index, c, success, reason, null);
  }

  static LimboResult decided(int index, LimboCase c, boolean success, String reason, @Nullable String nameMatch) {
    String actual = success ? "SUCCESS" : "FAILURE";
    boolean right = actual.equals(c.expectedResult());
    return new LimboResult(
        index, c.id(), c.expectedResult(), actual, reason, nameMatch, right ? null : c.description());
  }

  String group() {
    return LimboCase.groupOf(id);
  }

  Status status() {
    if (actual == null) {
      return Status.SKIPPED;
    }
    return actual.equals(expected) ? Status.RIGHT : Status.WRONG;
  }

  boolean right() {
    return status() == Status.RIGHT;
  }
}
