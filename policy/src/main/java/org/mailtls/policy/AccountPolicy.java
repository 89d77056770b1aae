package org.mailtls.policy;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.Immutable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.identity.IdentityPolicy;
import org.mailtls.policy.identity.ReferenceIdentities;

/**
 * One mail account's policy: who the user is (email address), which servers the account uses, and
 * the account's identity switches. The provider builds each connection's reference identities from
 * it (RFC 7817 §3, requirements.md B.2); a connection to a host that is not one of the account's
 * endpoints is refused (fail closed), because nothing says what that host must prove.
 *
 * <p>Later issues add the minimum confidentiality level, pins and the client-certificate scope.
 */
@Immutable
public final class AccountPolicy {
  private final String accountId;
  private final @Nullable String emailAddress;
  private final ImmutableList<MailEndpoint> endpoints;
  private final IdentityPolicy identityPolicy;
  private final boolean emailDomainAsDnsId;
  private final AccountPhase phase;
  private final @Nullable MclWaiver mclWaiver;
  private final @Nullable ClientCertificateScope clientCertificate;

  private AccountPolicy(Builder b) {
    this.accountId = requireNonNull(b.accountId);
    this.emailAddress = b.emailAddress;
    this.endpoints = ImmutableList.copyOf(b.endpoints);
    this.identityPolicy = b.identityPolicy;
    this.emailDomainAsDnsId = b.emailDomainAsDnsId;
    this.phase = b.phase;
    this.mclWaiver = b.mclWaiver;
    this.clientCertificate = b.clientCertificate;
  }

  /** A builder holding this account's values (to move it out of setup, or change a switch). */
  public Builder toBuilder() {
    Builder b = new Builder(accountId);
    b.emailAddress = emailAddress;
    b.endpoints.addAll(endpoints);
    b.identityPolicy = identityPolicy;
    b.emailDomainAsDnsId = emailDomainAsDnsId;
    b.phase = phase;
    b.mclWaiver = mclWaiver;
    b.clientCertificate = clientCertificate;
    return b;
  }

  /** Whether the account is being set up (pins allowed) or established (R8314-C-28, C-29). */
  public AccountPhase phase() {
    return phase;
  }

  /**
   * True when the account requires the minimum confidentiality level (the default, R8314-C-19):
   * TLS 1.2+, a validated chain and an identity match; a pinned connection never meets it.
   */
  public boolean requiresMinimumConfidentiality() {
    return mclWaiver == null;
  }

  /** The user's acknowledged waiver, when the minimum confidentiality level is off (R8314-C-21). */
  public Optional<MclWaiver> mclWaiver() {
    return Optional.ofNullable(mclWaiver);
  }

  /** The client certificate this account may offer, if any (R8314-C-33, C-34). */
  public Optional<ClientCertificateScope> clientCertificate() {
    return Optional.ofNullable(clientCertificate);
  }

  /** Starts a builder for the account with this identifier (any stable, non-empty string). */
  public static Builder builder(String accountId) {
    return new Builder(accountId);
  }

  /** The account identifier. */
  public String accountId() {
    return accountId;
  }

  /** The user's email address, if known. */
  public Optional<String> emailAddress() {
    return Optional.ofNullable(emailAddress);
  }

  /** The servers this account uses. */
  public ImmutableList<MailEndpoint> endpoints() {
    return endpoints;
  }

  /** The identity switches (legacy CN, SRV bundles, SAN cap). */
  public IdentityPolicy identityPolicy() {
    return identityPolicy;
  }

  /**
   * The endpoint for a connection to {@code host}:{@code port}: same normalized host, and the same
   * port unless {@code port} is 0 (unknown).
   */
  public Optional<MailEndpoint> endpointFor(String host, int port) {
    String normalized;
    try {
      normalized = MailEndpoint.normalize(host);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    for (MailEndpoint e : endpoints) {
      if (e.normalizedHost().equals(normalized) && (port <= 0 || e.port() == port)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The reference identities for one endpoint of this account (requirements.md B.2). */
  public ReferenceIdentities referencesFor(MailEndpoint endpoint) {
    ReferenceIdentities.Builder b = ReferenceIdentities.builder()
        .host(endpoint.host(), endpoint.provenance())
        .service(endpoint.service())
        .emailDomainAsDnsId(emailDomainAsDnsId);
    if (emailAddress != null) {
      b.emailAddress(emailAddress);
    }
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AccountPolicy)) {
      return false;
    }
    AccountPolicy a = (AccountPolicy) o;
    return a.accountId.equals(accountId) && java.util.Objects.equals(a.emailAddress, emailAddress)
        && a.endpoints.equals(endpoints) && a.identityPolicy.equals(identityPolicy)
        && a.emailDomainAsDnsId == emailDomainAsDnsId && a.phase == phase
        && java.util.Objects.equals(a.mclWaiver, mclWaiver)
        && java.util.Objects.equals(a.clientCertificate, clientCertificate);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(accountId, emailAddress, endpoints, identityPolicy, emailDomainAsDnsId, phase,
        mclWaiver, clientCertificate);
  }

  @Override
  public String toString() {
    return "AccountPolicy{" + accountId + ", " + (emailAddress != null ? emailAddress : "no address") + ", "
        + endpoints + ", " + phase + (mclWaiver == null ? ", MCL on" : ", MCL OFF (acknowledged "
        + mclWaiver.acknowledgedAt() + ")") + (clientCertificate != null ? ", " + clientCertificate : "") + ", "
        + identityPolicy + "}";
  }

  /** Validating builder. */
  public static final class Builder {
    private final String accountId;
    private @Nullable String emailAddress;
    private final List<MailEndpoint> endpoints = new ArrayList<>();
    private IdentityPolicy identityPolicy = IdentityPolicy.strict();
    private boolean emailDomainAsDnsId = true;
    private AccountPhase phase = AccountPhase.ESTABLISHED;
    private @Nullable MclWaiver mclWaiver;
    private @Nullable ClientCertificateScope clientCertificate;

    private Builder(String accountId) {
      requireNonNull(accountId, "accountId");
      if (accountId.isBlank()) {
        throw new IllegalArgumentException("accountId is blank");
      }
      this.accountId = accountId;
    }

    /** The user's email address; its domain feeds DNS-IDs and SRV-IDs. */
    @CanIgnoreReturnValue
    public Builder emailAddress(String address) {
      // Validate now, through the same path the references use.
      ReferenceIdentities.builder().emailAddress(address);
      this.emailAddress = address;
      return this;
    }

    /** Adds an endpoint. */
    @CanIgnoreReturnValue
    public Builder addEndpoint(MailEndpoint endpoint) {
      requireNonNull(endpoint, "endpoint");
      for (MailEndpoint e : endpoints) {
        if (e.normalizedHost().equals(endpoint.normalizedHost()) && e.port() == endpoint.port()) {
          throw new IllegalArgumentException("endpoint " + endpoint + " duplicates " + e);
        }
      }
      endpoints.add(endpoint);
      return this;
    }

    /** The identity switches; strict by default. */
    @CanIgnoreReturnValue
    public Builder identityPolicy(IdentityPolicy policy) {
      this.identityPolicy = requireNonNull(policy, "policy");
      return this;
    }

    /** Whether the email domain is also a DNS-ID (R7817-C-04 (a)); on by default. */
    @CanIgnoreReturnValue
    public Builder emailDomainAsDnsId(boolean on) {
      this.emailDomainAsDnsId = on;
      return this;
    }

    /**
     * The account's phase; {@link AccountPhase#ESTABLISHED} by default, so pinning is impossible
     * unless the caller explicitly says the user is setting the account up.
     */
    @CanIgnoreReturnValue
    public Builder phase(AccountPhase phase) {
      this.phase = requireNonNull(phase, "phase");
      return this;
    }

    /**
     * Switches the minimum confidentiality level off, recording the warning the user acknowledged
     * (R8314-C-21). The only way to accept a pinned connection (R8314-C-27).
     */
    @CanIgnoreReturnValue
    public Builder withoutMinimumConfidentiality(MclWaiver acknowledged) {
      this.mclWaiver = requireNonNull(acknowledged, "acknowledged");
      return this;
    }

    /** Switches the minimum confidentiality level back on (the default). */
    @CanIgnoreReturnValue
    public Builder requireMinimumConfidentiality() {
      this.mclWaiver = null;
      return this;
    }

    /** Binds a client certificate (key-store alias) to this account (R8314-C-33, C-34). */
    @CanIgnoreReturnValue
    public Builder clientCertificate(ClientCertificateScope scope) {
      this.clientCertificate = requireNonNull(scope, "scope");
      return this;
    }

    /**
     * Builds the account.
     *
     * @throws IllegalStateException if there is no endpoint, or an endpoint from RFC 6186 discovery
     *     but no email address
     */
    public AccountPolicy build() {
      if (endpoints.isEmpty()) {
        throw new IllegalStateException("account " + accountId + " has no endpoint");
      }
      if (clientCertificate != null && clientCertificate.endpoint().isPresent()
          && !endpoints.contains(clientCertificate.endpoint().get())) {
        throw new IllegalStateException("account " + accountId + ": the client certificate is restricted to "
            + clientCertificate.endpoint().get() + ", which is not one of its endpoints " + endpoints);
      }
      AccountPolicy a = new AccountPolicy(this);
      for (MailEndpoint e : endpoints) {
        try {
          a.referencesFor(e);
        } catch (IllegalStateException ex) {
          throw new IllegalStateException("account " + accountId + ", endpoint " + e + ": " + ex.getMessage(), ex);
        }
      }
      return a;
    }
  }
}
