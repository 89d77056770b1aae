package org.mailtls.policy;

/**
 * How confidential a connection is, in RFC 8314 §5's sense (requirements.md B.6). Compare with
 * {@link #isAtLeast}, never by ordinal. Only {@link #VERIFIED} is ever confidential (R8314-C-10,
 * R8314-C-27).
 */
public enum ConfidentialityLevel {
  /** No TLS at all. */
  NONE(0),
  /**
   * TLS whose server authenticity rests on a pin the user accepted during setup (RFC 8314 §5.4).
   * Encrypted, but never counted as confidential and never meeting a minimum confidentiality level.
   */
  PINNED(1),
  /** TLS 1.2+, a PKIX-validated chain and an RFC 7817 identity match: the minimum confidentiality level. */
  VERIFIED(2);

  private final int rank;

  ConfidentialityLevel(int rank) {
    this.rank = rank;
  }

  /** True when this level is {@code other} or higher. */
  public boolean isAtLeast(ConfidentialityLevel other) {
    return rank >= other.rank;
  }

  /** True only for {@link #VERIFIED} (R8314-C-10, C-27). */
  public boolean isConfidential() {
    return this == VERIFIED;
  }
}
