package org.mailtls.policy.identity;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of an identity check, as a value (decisions are values; only the provider turns a
 * {@link NotMatched} into a {@code CertificateException}).
 */
public sealed interface IdentityMatch {

  /** True for {@link Matched}. */
  boolean isMatch();

  /** A message for users and logs: what matched, or everything needed to fix the mismatch. */
  String message();

  /**
   * The certificate proves {@link #reference()}, which becomes the validated identity of the
   * service (RFC 9525 §6.6, SI-11).
   */
  record Matched(ReferenceIdentity reference, PresentedIdentifier presented, MatchKind kind)
      implements IdentityMatch {
    public Matched {
      requireNonNull(reference, "reference");
      requireNonNull(presented, "presented");
      requireNonNull(kind, "kind");
    }

    @Override
    public boolean isMatch() {
      return true;
    }

    @Override
    public String message() {
      String how = kind == MatchKind.LEGACY_COMMON_NAME
          ? " (legacy CN-ID: RFC 9525 §2 forbids it; accepted only because this account's legacy switch is on)"
          : kind == MatchKind.SRV_BUNDLE ? " (same service bundle, SRV-08)" : "";
      return "server identity verified: " + reference.describe() + " matched " + presented + how;
    }
  }

  /** No presented identifier matched any reference identity (RFC 9525 §6.6). */
  record NotMatched(ReferenceIdentities references, PresentedIdentifiers presented, IdentityPolicy policy)
      implements IdentityMatch {
    public NotMatched {
      requireNonNull(references, "references");
      requireNonNull(presented, "presented");
      requireNonNull(policy, "policy");
    }

    @Override
    public boolean isMatch() {
      return false;
    }

    @Override
    public String message() {
      return MismatchMessage.render(this);
    }
  }
}
