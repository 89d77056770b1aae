package org.mailtls.provider;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.ManagerFactoryParameters;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.pin.PinStore;
import org.mailtls.policy.server.ClientCertificateMapping;

/**
 * The standard JSSE way to hand MailTLS's {@code TrustManagerFactory} an account and a policy:
 * {@code TrustManagerFactory.getInstance("MailTLS").init(MailTlsParameters.builder()...build())}.
 * No globals: everything a connection is checked against travels in this value.
 */
public final class MailTlsParameters implements ManagerFactoryParameters {
  private final @Nullable KeyStore trustStore;
  private final MailTlsPolicy policy;
  private final @Nullable AccountPolicy account;
  private final Clock clock;
  private final @Nullable PinStore pinStore;
  private final @Nullable ClientCertificateMapping clientCertificateMapping;

  private MailTlsParameters(Builder b) {
    this.clientCertificateMapping = b.clientCertificateMapping;
    this.trustStore = b.trustStore;
    this.policy = b.policy;
    this.account = b.account;
    this.clock = b.clock;
    this.pinStore = b.pinStore;
  }

  /** How a server maps client certificates to identities; empty means none is ever requested. */
  public Optional<ClientCertificateMapping> clientCertificateMapping() {
    return Optional.ofNullable(clientCertificateMapping);
  }

  /** Where the account's pins are looked up; empty means no pin is ever honoured. */
  public Optional<PinStore> pinStore() {
    return Optional.ofNullable(pinStore);
  }

  /** Starts a builder: system trust anchors, strict policy, no account, system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** The trust anchors' store; empty means the JDK's default trust store. */
  public Optional<KeyStore> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /** The connection policy. */
  public MailTlsPolicy policy() {
    return policy;
  }

  /** The account, if connections belong to one. */
  public Optional<AccountPolicy> account() {
    return Optional.ofNullable(account);
  }

  /** The clock certificate validity is judged by. */
  public Clock clock() {
    return clock;
  }

  /** Builder. */
  public static final class Builder {
    private @Nullable KeyStore trustStore;
    private MailTlsPolicy policy = MailTlsPolicy.strict();
    private @Nullable AccountPolicy account;
    private Clock clock = Clock.systemUTC();
    private @Nullable PinStore pinStore;
    private @Nullable ClientCertificateMapping clientCertificateMapping;

    private Builder() {}

    /**
     * For a server: how an accepted client certificate becomes a SASL EXTERNAL authorization
     * identity. A MailTLS server requests client certificates only when this is set (RFC 8314
     * §4.2, R8314-S-16); a certificate it cannot map is refused.
     */
    @CanIgnoreReturnValue
    public Builder clientCertificateMapping(ClientCertificateMapping mapping) {
      this.clientCertificateMapping = requireNonNull(mapping, "mapping");
      return this;
    }

    /**
     * The pin store the account's pins live in (RFC 8314 §5.4). Pins only ever apply to the
     * account given here, and only when that account's minimum confidentiality level is off.
     */
    @CanIgnoreReturnValue
    public Builder pinStore(PinStore store) {
      this.pinStore = requireNonNull(store, "store");
      return this;
    }

    /** Trust anchors: the trusted-certificate entries of this store. */
    @CanIgnoreReturnValue
    public Builder trustStore(KeyStore store) {
      this.trustStore = requireNonNull(store, "store");
      return this;
    }

    /** The connection policy; {@link MailTlsPolicy#strict()} by default. */
    @CanIgnoreReturnValue
    public Builder policy(MailTlsPolicy policy) {
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /** The account whose endpoints and identity rules apply. */
    @CanIgnoreReturnValue
    public Builder account(AccountPolicy account) {
      this.account = requireNonNull(account, "account");
      return this;
    }

    /** The clock for validity checks (tests inject a fixed one). */
    @CanIgnoreReturnValue
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the parameters.
     *
     * @throws IllegalStateException when a pin store is given without an account (pins are
     *     per account, R8314-C-30)
     */
    public MailTlsParameters build() {
      if (pinStore != null && account == null) {
        throw new IllegalStateException("a pin store needs the account whose pins apply (R8314-C-30)");
      }
      return new MailTlsParameters(this);
    }
  }
}
