package org.mailtls.policy.server;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.Immutable;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.identity.DnsName;

/**
 * Maps a client certificate by its rfc822Name subjectAltName: the certificate must carry exactly
 * one, and that mail address becomes the authorization identity.
 *
 * <p>Why exactly one: with two addresses, picking one would be a guess about who the client is
 * (fail closed). Why a domain list: a server for {@code example.net} that trusts a CA which also
 * issues to other domains must not let {@code mallory@example.com} log in as that address; the
 * operator therefore chooses {@link Builder#allowDomain} or, explicitly, {@link Builder#anyDomain}.
 *
 * <p>The identity is the local part exactly as presented (local parts may be case-sensitive, RFC
 * 5321 §2.4), {@code @}, and the domain as a lower-case A-label. An address whose local part
 * contains {@code @}, quotes or characters outside visible ASCII, or whose domain is not a host
 * name (an address literal, an empty label), is not mapped. Domains match exactly: {@code
 * example.net} does not allow {@code sub.example.net}.
 */
@Immutable
public final class Rfc822NameMapping implements ClientCertificateMapping {
  /** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets. */
  private static final int MAX_LOCAL_PART = 64;

  private final @Nullable ImmutableSet<String> allowedDomains;

  private Rfc822NameMapping(@Nullable ImmutableSet<String> allowedDomains) {
    this.allowedDomains = allowedDomains;
  }

  /** Starts a builder; {@link Builder#build()} requires a domain choice. */
  public static Builder builder() {
    return new Builder();
  }

  /** The allowed domains (lower-case A-labels); empty when any domain is allowed. */
  public ImmutableSet<String> allowedDomains() {
    return allowedDomains == null ? ImmutableSet.of() : allowedDomains;
  }

  /** True when {@link Builder#anyDomain()} was chosen. */
  public boolean anyDomainAllowed() {
    return allowedDomains == null;
  }

  @Override
  public MappingResult map(X509Certificate leaf) {
    CertificateFields.Sans sans = CertificateFields.subjectAltNames(leaf);
    String has = "the certificate has " + sans.describe();
    if (!sans.problems().isEmpty()) {
      return MappingResult.unmapped(has + "; the rfc822Name mapping needs exactly one well-formed rfc822Name");
    }
    if (sans.rfc822Names().size() != 1) {
      return MappingResult.unmapped(has + "; the rfc822Name mapping needs exactly one rfc822Name, not "
          + sans.rfc822Names().size());
    }
    String address = sans.rfc822Names().get(0);
    String shown = "\"" + AuthorizationIdentities.shown(address) + "\"";
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1) {
      return MappingResult.unmapped("rfc822Name " + shown + " is not a mail address (local-part@domain)");
    }
    String local = address.substring(0, at);
    String localProblem = localPartProblem(local);
    if (localProblem != null) {
      return MappingResult.unmapped("rfc822Name " + shown + ": the local part " + localProblem);
    }
    DnsName domain;
    try {
      domain = DnsName.parse(address.substring(at + 1));
    } catch (IllegalArgumentException e) {
      return MappingResult.unmapped("rfc822Name " + shown + ": the domain is not a host name: " + e.getMessage());
    }
    if (allowedDomains != null && !allowedDomains.contains(domain.ascii())) {
      return MappingResult.unmapped("rfc822Name " + shown + " is in domain " + domain.ascii()
          + ", which is not one of the allowed domains " + allowedDomains
          + "; add it with allowDomain(\"" + domain.ascii() + "\") if its users may log in here");
    }
    String identity = local + "@" + domain.ascii();
    String problem = AuthorizationIdentities.problem(identity);
    if (problem != null) {
      return MappingResult.unmapped("rfc822Name " + shown + " is not a usable identity: " + problem);
    }
    return MappingResult.mapped(identity, "rfc822Name " + address);
  }

  private static @Nullable String localPartProblem(String local) {
    if (local.length() > MAX_LOCAL_PART) {
      return "is longer than " + MAX_LOCAL_PART + " characters";
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return "contains a space, a control character or non-ASCII";
      }
      if (c == '@' || c == '"' || c == '\\') {
        return "contains '" + c + "' (quoted local parts are not mapped)";
      }
    }
    return null;
  }

  @Override
  public String describe() {
    return "rfc822Name SAN" + (allowedDomains == null ? " in any domain" : " in " + String.join(", ", allowedDomains));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rfc822NameMapping
        && java.util.Objects.equals(((Rfc822NameMapping) o).allowedDomains, allowedDomains);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hashCode(allowedDomains);
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Chooses the domains; exactly one of {@link #anyDomain()} or {@link #allowDomain} must be used. */
  public static final class Builder {
    private final Set<String> domains = new LinkedHashSet<>();
    private boolean any;

    private Builder() {}

    /**
     * Allows addresses in {@code domain} (host-name rules: IDNs become A-labels, case folded).
     *
     * @throws IllegalArgumentException if {@code domain} is not a host name
     */
    @CanIgnoreReturnValue
    public Builder allowDomain(String domain) {
      requireNonNull(domain, "domain");
      domains.add(DnsName.parse(domain).ascii());
      return this;
    }

    /** Allows addresses in any domain: the trusted CAs alone decide which addresses exist. */
    @CanIgnoreReturnValue
    public Builder anyDomain() {
      any = true;
      return this;
    }

    /**
     * Builds the mapping.
     *
     * @throws IllegalStateException when neither or both of anyDomain() and allowDomain() were used
     */
    public Rfc822NameMapping build() {
      if (any && !domains.isEmpty()) {
        throw new IllegalStateException("anyDomain() and allowDomain(" + domains + ") contradict each other;"
            + " choose one");
      }
      if (!any && domains.isEmpty()) {
        throw new IllegalStateException("choose the mail domains whose addresses may log in: allowDomain(\"example.net\")"
            + ", or anyDomain() to accept every address the trusted CAs vouch for");
      }
      return new Rfc822NameMapping(any ? null : ImmutableSet.copyOf(domains));
    }
  }
}
