package org.mailtls.policy.identity;

/**
 * Where the host name an account connects to came from; it decides whether that name may be a
 * reference identifier (requirements.md B.2, RFC 9525 §6.1.1 / SI-02, RFC 7817 §3 / R7817-C-04,
 * DISC-09).
 */
public enum HostProvenance {
  /** Typed or configured by the user (or an administrator): a reference identifier. */
  USER_TYPED(true),
  /** Learnt from an RFC 6186 SRV answer and then explicitly approved by the user. */
  USER_APPROVED_FROM_SRV(true),
  /** Learnt from an RFC 6186 SRV answer that DNSSEC validated ("securely derived", 7817 §3). */
  DNSSEC_SRV(true),
  /**
   * Learnt from an SRV answer that was not validated and never approved. Such a name is chosen by
   * whoever answers DNS, so it is never a reference identifier (SI-02, DISC-09).
   */
  INSECURE_SRV(false);

  private final boolean referenceIdentifier;

  HostProvenance(boolean referenceIdentifier) {
    this.referenceIdentifier = referenceIdentifier;
  }

  /** True when a host name with this provenance may yield a DNS-ID. */
  public boolean yieldsReferenceIdentifier() {
    return referenceIdentifier;
  }
}
