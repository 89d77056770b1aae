package org.mailtls.policy.identity;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.Immutable;

/**
 * Per-account switches of the identity check. The default, {@link #strict()}, is RFC 9525 with
 * RFC 7817's mail rules: no CN-ID, exact SRV service match, at most {@value
 * #DEFAULT_MAX_SUBJECT_ALT_NAMES} subjectAltName entries examined.
 */
@Immutable
public final class IdentityPolicy {
  /**
   * Default cap on subjectAltName entries examined. Real mail certificates list a few dozen names;
   * multi-tenant ones a few hundred. Examining more only gives a hostile certificate CPU time.
   */
  public static final int DEFAULT_MAX_SUBJECT_ALT_NAMES = 1_000;

  private static final IdentityPolicy STRICT = builder().build();

  private final boolean legacyCommonName;
  private final boolean srvServiceBundles;
  private final int maxSubjectAltNames;

  private IdentityPolicy(Builder b) {
    this.legacyCommonName = b.legacyCommonName;
    this.srvServiceBundles = b.srvServiceBundles;
    this.maxSubjectAltNames = b.maxSubjectAltNames;
  }

  /** The default policy. */
  public static IdentityPolicy strict() {
    return STRICT;
  }

  /** Starts from the strict defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's values. */
  public Builder toBuilder() {
    return new Builder()
        .legacyCommonName(legacyCommonName)
        .srvServiceBundles(srvServiceBundles)
        .maxSubjectAltNames(maxSubjectAltNames);
  }

  /**
   * Whether a subject CN may stand in for a DNS-ID when the certificate has no subjectAltName
   * identifier at all (R7817-C-09, SI-20). Off by default because RFC 9525 §2 forbids it (SI-15).
   */
  public boolean legacyCommonName() {
    return legacyCommonName;
  }

  /**
   * Whether an SRV-ID for one member of an implicit-TLS/STARTTLS pair (imap/imaps, pop3/pop3s,
   * submission/submissions) satisfies the other (SRV-08). Off by default.
   */
  public boolean srvServiceBundles() {
    return srvServiceBundles;
  }

  /** How many subjectAltName entries are examined at most. */
  public int maxSubjectAltNames() {
    return maxSubjectAltNames;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof IdentityPolicy)) {
      return false;
    }
    IdentityPolicy p = (IdentityPolicy) o;
    return p.legacyCommonName == legacyCommonName
        && p.srvServiceBundles == srvServiceBundles
        && p.maxSubjectAltNames == maxSubjectAltNames;
  }

  @Override
  public int hashCode() {
    return (legacyCommonName ? 1 : 0) + (srvServiceBundles ? 2 : 0) + 31 * maxSubjectAltNames;
  }

  @Override
  public String toString() {
    return "IdentityPolicy{legacyCommonName=" + legacyCommonName + ", srvServiceBundles=" + srvServiceBundles
        + ", maxSubjectAltNames=" + maxSubjectAltNames + "}";
  }

  /** Validating builder. */
  public static final class Builder {
    private boolean legacyCommonName;
    private boolean srvServiceBundles;
    private int maxSubjectAltNames = DEFAULT_MAX_SUBJECT_ALT_NAMES;

    private Builder() {}

    /** See {@link IdentityPolicy#legacyCommonName()}. */
    @CanIgnoreReturnValue
    public Builder legacyCommonName(boolean on) {
      this.legacyCommonName = on;
      return this;
    }

    /** See {@link IdentityPolicy#srvServiceBundles()}. */
    @CanIgnoreReturnValue
    public Builder srvServiceBundles(boolean on) {
      this.srvServiceBundles = on;
      return this;
    }

    /** See {@link IdentityPolicy#maxSubjectAltNames()}; between 1 and 100,000. */
    @CanIgnoreReturnValue
    public Builder maxSubjectAltNames(int max) {
      if (max < 1 || max > 100_000) {
        throw new IllegalArgumentException("maxSubjectAltNames must be between 1 and 100000: " + max);
      }
      this.maxSubjectAltNames = max;
      return this;
    }

    /** Builds the policy. */
    public IdentityPolicy build() {
      return new IdentityPolicy(this);
    }
  }
}
