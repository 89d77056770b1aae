package org.mailtls.policy;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.Immutable;
import java.util.List;
import org.mailtls.policy.identity.IdentityPolicy;
import org.mailtls.policy.tls.CipherSuites;
import org.mailtls.policy.tls.NamedGroups;
import org.mailtls.policy.tls.SignatureSchemes;
import org.mailtls.policy.tls.TlsVersion;

/**
 * The connection-wide policy: protocol versions, cipher suites, groups and signature schemes
 * (requirements.md A7, B.7), the identity switches used when no account is given, revocation, and
 * limits. {@link #strict()} is the default. A builder can only narrow the lists (raise the floors);
 * anything outside them is refused with the rule that forbids it.
 */
@Immutable
public final class MailTlsPolicy {
  /** Longest certificate chain accepted from a peer (leaf included). */
  public static final int DEFAULT_MAX_CHAIN_LENGTH = 10;

  private static final MailTlsPolicy STRICT = builder().build();

  private final ImmutableList<TlsVersion> protocols;
  private final ImmutableList<String> cipherSuites;
  private final ImmutableList<String> namedGroups;
  private final ImmutableList<String> signatureSchemes;
  private final IdentityPolicy identityPolicy;
  private final RevocationMode revocation;
  private final int maxChainLength;

  private MailTlsPolicy(Builder b) {
    this.protocols = b.protocols;
    this.cipherSuites = b.cipherSuites;
    this.namedGroups = b.namedGroups;
    this.signatureSchemes = b.signatureSchemes;
    this.identityPolicy = b.identityPolicy;
    this.revocation = b.revocation;
    this.maxChainLength = b.maxChainLength;
  }

  /** TLS 1.3 and 1.2, RFC 9325 suites, groups and schemes, strict identity, stapled OCSP. */
  public static MailTlsPolicy strict() {
    return STRICT;
  }

  /** A builder starting from {@link #strict()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.protocols = protocols;
    b.cipherSuites = cipherSuites;
    b.namedGroups = namedGroups;
    b.signatureSchemes = signatureSchemes;
    b.identityPolicy = identityPolicy;
    b.revocation = revocation;
    b.maxChainLength = maxChainLength;
    return b;
  }

  /** Enabled protocol versions, newest first (TLS-01, TLS-03). */
  public ImmutableList<TlsVersion> protocols() {
    return protocols;
  }

  /** Enabled protocols as JSSE names. */
  public String[] protocolNames() {
    return protocols.stream().map(TlsVersion::jsseName).toArray(String[]::new);
  }

  /** Enabled cipher suites in preference order. */
  public ImmutableList<String> cipherSuites() {
    return cipherSuites;
  }

  /** Enabled named groups in preference order. */
  public ImmutableList<String> namedGroups() {
    return namedGroups;
  }

  /** Enabled signature schemes in preference order. */
  public ImmutableList<String> signatureSchemes() {
    return signatureSchemes;
  }

  /** Identity switches for connections that have no account. */
  public IdentityPolicy identityPolicy() {
    return identityPolicy;
  }

  /** Revocation checking. */
  public RevocationMode revocation() {
    return revocation;
  }

  /** Longest accepted peer chain. */
  public int maxChainLength() {
    return maxChainLength;
  }

  /** The oldest enabled version. */
  public TlsVersion minimumVersion() {
    return protocols.get(protocols.size() - 1);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MailTlsPolicy)) {
      return false;
    }
    MailTlsPolicy p = (MailTlsPolicy) o;
    return p.protocols.equals(protocols) && p.cipherSuites.equals(cipherSuites) && p.namedGroups.equals(namedGroups)
        && p.signatureSchemes.equals(signatureSchemes) && p.identityPolicy.equals(identityPolicy)
        && p.revocation == revocation && p.maxChainLength == maxChainLength;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(protocols, cipherSuites, namedGroups, signatureSchemes, identityPolicy, revocation,
        maxChainLength);
  }

  @Override
  public String toString() {
    return "MailTlsPolicy{protocols=" + protocols + ", cipherSuites=" + cipherSuites + ", namedGroups=" + namedGroups
        + ", revocation=" + revocation + ", " + identityPolicy + "}";
  }

  /** Validating builder; every list must be a non-empty subset of the strict one. */
  public static final class Builder {
    private ImmutableList<TlsVersion> protocols = ImmutableList.of(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2);
    private ImmutableList<String> cipherSuites = CipherSuites.ALLOWED;
    private ImmutableList<String> namedGroups = NamedGroups.ALLOWED;
    private ImmutableList<String> signatureSchemes = SignatureSchemes.ALLOWED;
    private IdentityPolicy identityPolicy = IdentityPolicy.strict();
    private RevocationMode revocation = RevocationMode.STAPLED_OCSP;
    private int maxChainLength = DEFAULT_MAX_CHAIN_LENGTH;

    private Builder() {}

    /** Narrows the protocols; only TLS 1.3 and TLS 1.2 are possible (TLS-01, RFC 8996). */
    @CanIgnoreReturnValue
    public Builder protocols(List<TlsVersion> versions) {
      checkNonEmpty(versions, "protocols");
      for (TlsVersion v : versions) {
        if (!v.isAtLeast(TlsVersion.TLS_1_2)) {
          throw new IllegalArgumentException(
              v.jsseName() + " is forbidden (TLS-01, RFC 8996; RFC 8997 raised RFC 8314's floor to TLS 1.2)");
        }
      }
      this.protocols = ImmutableList.sortedCopyOf((a, b) -> b.codePoint() - a.codePoint(), versions);
      return this;
    }

    /** Narrows the cipher suites, in the order given. */
    @CanIgnoreReturnValue
    public Builder cipherSuites(List<String> suites) {
      checkNonEmpty(suites, "cipherSuites");
      for (String s : suites) {
        CipherSuites.whyRefused(s).ifPresent(why -> {
          throw new IllegalArgumentException(why);
        });
      }
      this.cipherSuites = ImmutableList.copyOf(suites);
      return this;
    }

    /** Narrows the named groups, in the order given. */
    @CanIgnoreReturnValue
    public Builder namedGroups(List<String> groups) {
      checkNonEmpty(groups, "namedGroups");
      for (String g : groups) {
        if (!NamedGroups.isAllowed(g)) {
          throw new IllegalArgumentException(g + " is not an allowed group (TLS-21, TLS-24); allowed: " + NamedGroups.ALLOWED);
        }
      }
      this.namedGroups = ImmutableList.copyOf(groups);
      return this;
    }

    /** Narrows the signature schemes, in the order given. */
    @CanIgnoreReturnValue
    public Builder signatureSchemes(List<String> schemes) {
      checkNonEmpty(schemes, "signatureSchemes");
      for (String s : schemes) {
        if (!SignatureSchemes.isAllowed(s)) {
          throw new IllegalArgumentException(s + " is not an allowed signature scheme (TLS-25, TLS-26, RFC 9155)");
        }
      }
      this.signatureSchemes = ImmutableList.copyOf(schemes);
      return this;
    }

    /** Identity switches for connections without an account. */
    @CanIgnoreReturnValue
    public Builder identityPolicy(IdentityPolicy policy) {
      this.identityPolicy = requireNonNull(policy, "policy");
      return this;
    }

    /** Revocation checking. */
    @CanIgnoreReturnValue
    public Builder revocation(RevocationMode mode) {
      this.revocation = requireNonNull(mode, "mode");
      return this;
    }

    /** Longest accepted peer chain, 1 to 20. */
    @CanIgnoreReturnValue
    public Builder maxChainLength(int max) {
      if (max < 1 || max > 20) {
        throw new IllegalArgumentException("maxChainLength must be between 1 and 20: " + max);
      }
      this.maxChainLength = max;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalStateException when TLS 1.3 or TLS 1.2 is enabled but none of its suites is
     */
    public MailTlsPolicy build() {
      boolean has13 = cipherSuites.stream().anyMatch(CipherSuites.TLS13::contains);
      boolean has12 = cipherSuites.stream().anyMatch(CipherSuites.TLS12::contains);
      if (protocols.contains(TlsVersion.TLS_1_3) && !has13) {
        throw new IllegalStateException("TLSv1.3 is enabled but none of its cipher suites " + CipherSuites.TLS13);
      }
      if (protocols.contains(TlsVersion.TLS_1_2) && !has12) {
        throw new IllegalStateException("TLSv1.2 is enabled but none of its cipher suites " + CipherSuites.TLS12);
      }
      return new MailTlsPolicy(this);
    }

    private static void checkNonEmpty(List<?> list, String what) {
      requireNonNull(list, what);
      if (list.isEmpty()) {
        throw new IllegalArgumentException(what + " must not be empty");
      }
    }
  }
}
