package org.mailtls.policy.identity;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.Immutable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.identity.ReferenceIdentity.DnsId;
import org.mailtls.policy.identity.ReferenceIdentity.IpId;
import org.mailtls.policy.identity.ReferenceIdentity.SrvId;

/**
 * The ordered, non-empty list of reference identities for one connection, built from account
 * facts only (RFC 9525 §6.1.1, SI-01) following requirements.md B.2:
 *
 * <ol>
 *   <li>An IP literal host is classified first and yields only an IP-ID (SI-18, B.2 step 5).
 *   <li>A host name yields a DNS-ID unless it came from an insecure, unapproved SRV answer (SI-02,
 *       DISC-09, R7817-C-04).
 *   <li>For an account set up by RFC 6186 discovery (the host's provenance is one of the SRV ones),
 *       the email domain yields the SRV-ID {@code _service.domain} (R7817-C-05, R7817-C-07).
 *   <li>The email domain yields a DNS-ID, behind a switch that is on by default (R7817-C-04 (a),
 *       B.2 step 4).
 * </ol>
 *
 * <p>Nothing is ever taken from CNAME, MX or reverse DNS answers: the builder has no way to accept
 * them.
 */
@Immutable
public final class ReferenceIdentities {
  private final ImmutableList<ReferenceIdentity> identities;
  private final @Nullable DnsName unapprovedHost;

  private ReferenceIdentities(ImmutableList<ReferenceIdentity> identities, @Nullable DnsName unapprovedHost) {
    this.identities = identities;
    this.unapprovedHost = unapprovedHost;
  }

  /** Wraps an explicit, non-empty list (tools and tests); duplicates are dropped. */
  public static ReferenceIdentities of(List<? extends ReferenceIdentity> identities) {
    if (identities.isEmpty()) {
      throw new IllegalArgumentException("at least one reference identity is needed (RFC 9525 §6.1.1)");
    }
    List<ReferenceIdentity> unique = new ArrayList<>();
    for (ReferenceIdentity id : identities) {
      addUnique(unique, id);
    }
    return new ReferenceIdentities(ImmutableList.copyOf(unique), null);
  }

  /** A single DNS-ID or, for an IP literal, a single IP-ID, for a host typed by the user. */
  public static ReferenceIdentities forHost(String host) {
    return builder().host(host, HostProvenance.USER_TYPED).emailDomainAsDnsId(false).build();
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The identities, in the order they are tried. */
  public ImmutableList<ReferenceIdentity> all() {
    return identities;
  }

  /**
   * The host connected to when it was left out of the list because it came from an insecure,
   * unapproved SRV answer (SI-02); error messages tell the user it needs approval.
   */
  public Optional<DnsName> unapprovedHost() {
    return Optional.ofNullable(unapprovedHost);
  }

  /** The DNS-IDs only; the names that legacy CN matching would use (R7817-C-09). */
  public ImmutableList<DnsId> dnsIds() {
    ImmutableList.Builder<DnsId> out = ImmutableList.builder();
    for (ReferenceIdentity id : identities) {
      if (id instanceof DnsId) {
        out.add((DnsId) id);
      }
    }
    return out.build();
  }

  private static void addUnique(List<ReferenceIdentity> list, ReferenceIdentity id) {
    for (ReferenceIdentity existing : list) {
      if (sameIdentity(existing, id)) {
        return;
      }
    }
    list.add(id);
  }

  private static boolean sameIdentity(ReferenceIdentity a, ReferenceIdentity b) {
    if (a instanceof DnsId && b instanceof DnsId) {
      return ((DnsId) a).name().equals(((DnsId) b).name());
    }
    if (a instanceof SrvId && b instanceof SrvId) {
      SrvId x = (SrvId) a;
      SrvId y = (SrvId) b;
      return x.service() == y.service() && x.domain().equals(y.domain());
    }
    if (a instanceof IpId && b instanceof IpId) {
      return ((IpId) a).address().equals(((IpId) b).address());
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReferenceIdentities
        && ((ReferenceIdentities) o).identities.equals(identities)
        && java.util.Objects.equals(((ReferenceIdentities) o).unapprovedHost, unapprovedHost);
  }

  @Override
  public int hashCode() {
    return identities.hashCode() * 31 + java.util.Objects.hashCode(unapprovedHost);
  }

  @Override
  public String toString() {
    return identities.toString();
  }

  /** Builds the list from account facts; see the class javadoc for the rules. */
  public static final class Builder {
    private @Nullable String host;
    private @Nullable HostProvenance provenance;
    private @Nullable DnsName emailDomain;
    private @Nullable MailService service;
    private boolean emailDomainAsDnsId = true;

    private Builder() {}

    /** The host the client connects to, exactly as typed or stored, and where that name came from. */
    @CanIgnoreReturnValue
    public Builder host(String host, HostProvenance provenance) {
      requireNonNull(host, "host");
      requireNonNull(provenance, "provenance");
      if (this.host != null) {
        throw new IllegalStateException("host was already set to " + Printable.of(this.host));
      }
      this.host = host;
      this.provenance = provenance;
      return this;
    }

    /** The domain part of the user's email address; host-name rules apply (IDNs become A-labels). */
    @CanIgnoreReturnValue
    public Builder emailDomain(String domain) {
      this.emailDomain = DnsName.parse(domain);
      return this;
    }

    /** Takes the email domain from a full address: the part after the last {@code @}. */
    @CanIgnoreReturnValue
    public Builder emailAddress(String address) {
      int at = address.lastIndexOf('@');
      if (at <= 0 || at == address.length() - 1) {
        throw new IllegalArgumentException("not an email address: \"" + Printable.of(address) + "\"");
      }
      return emailDomain(address.substring(at + 1));
    }

    /** The mail service, which names the SRV-ID for accounts set up by discovery. */
    @CanIgnoreReturnValue
    public Builder service(MailService service) {
      this.service = requireNonNull(service, "service");
      return this;
    }

    /** Whether the email domain is also a DNS-ID (R7817-C-04 (a)); on by default. */
    @CanIgnoreReturnValue
    public Builder emailDomainAsDnsId(boolean on) {
      this.emailDomainAsDnsId = on;
      return this;
    }

    /**
     * Builds the list.
     *
     * <p>The result is never empty: a host from an insecure SRV answer yields no DNS-ID, but such a
     * host implies discovery, which requires the email domain and so yields its SRV-ID.
     *
     * @throws IllegalStateException if the host is missing, or if an SRV provenance lacks the email
     *     domain or the service
     */
    public ReferenceIdentities build() {
      if (host == null || provenance == null) {
        throw new IllegalStateException("the host to connect to is required");
      }
      boolean discovered = provenance != HostProvenance.USER_TYPED;
      if (discovered && (emailDomain == null || service == null)) {
        throw new IllegalStateException(
            "host provenance " + provenance + " means RFC 6186 discovery, which needs the email domain and the service");
      }
      List<ReferenceIdentity> out = new ArrayList<>();
      Optional<IpAddress> ip = IpAddress.tryParse(host);
      if (ip.isPresent()) {
        out.add(new IpId(ip.get(), ReferenceSource.CONNECTED_HOST));
        return new ReferenceIdentities(ImmutableList.copyOf(out), null);
      }
      DnsName hostName = DnsName.parse(host);
      if (provenance.yieldsReferenceIdentifier()) {
        out.add(new DnsId(hostName, ReferenceSource.CONNECTED_HOST));
      }
      if (discovered) {
        addUnique(out, new SrvId(service, emailDomain, ReferenceSource.SRV_DISCOVERY));
      }
      if (emailDomain != null && emailDomainAsDnsId) {
        addUnique(out, new DnsId(emailDomain, discovered ? ReferenceSource.SRV_DISCOVERY : ReferenceSource.EMAIL_DOMAIN));
      }
      return new ReferenceIdentities(
          ImmutableList.copyOf(out), provenance.yieldsReferenceIdentifier() ? null : hostName);
    }
  }
}
