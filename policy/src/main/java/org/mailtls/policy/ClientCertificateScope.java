package org.mailtls.policy;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which client certificate one account may offer, and to which endpoint (RFC 8314 §5.5,
 * R8314-C-33, C-34): the key-store alias bound to the account, optionally restricted to one
 * endpoint. A certificate bound to one account is never offered on another account's connections,
 * even from a shared key store.
 */
@Immutable
public final class ClientCertificateScope {
  private final String alias;
  private final @Nullable MailEndpoint onlyFor;
  private final boolean requireTls13;

  private ClientCertificateScope(String alias, @Nullable MailEndpoint onlyFor, boolean requireTls13) {
    this.alias = alias;
    this.onlyFor = onlyFor;
    this.requireTls13 = requireTls13;
  }

  /** The alias may be offered to every endpoint of the account. */
  public static ClientCertificateScope forAlias(String alias) {
    requireNonNull(alias, "alias");
    if (alias.isBlank()) {
      throw new IllegalArgumentException("alias is blank");
    }
    return new ClientCertificateScope(alias, null, false);
  }

  /** Restricts the alias to one endpoint of the account. */
  public ClientCertificateScope onlyFor(MailEndpoint endpoint) {
    return new ClientCertificateScope(alias, requireNonNull(endpoint, "endpoint"), requireTls13);
  }

  /**
   * Requires TLS 1.3 on connections that may send the certificate: TLS 1.2 sends the client
   * certificate in the clear, identifying the user to any observer (RFC 8314 §8, R8314-C-36).
   */
  public ClientCertificateScope requireTls13() {
    return new ClientCertificateScope(alias, onlyFor, true);
  }

  /** The key-store alias. */
  public String alias() {
    return alias;
  }

  /** The only endpoint the certificate may be offered to, if restricted. */
  public Optional<MailEndpoint> endpoint() {
    return Optional.ofNullable(onlyFor);
  }

  /** True when connections that may send the certificate must use TLS 1.3. */
  public boolean tls13Required() {
    return requireTls13;
  }

  /** True when the certificate may be offered to this endpoint. */
  public boolean allows(MailEndpoint endpoint) {
    return onlyFor == null || onlyFor.equals(endpoint);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ClientCertificateScope)) {
      return false;
    }
    ClientCertificateScope s = (ClientCertificateScope) o;
    return s.alias.equals(alias) && java.util.Objects.equals(s.onlyFor, onlyFor) && s.requireTls13 == requireTls13;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(alias, onlyFor, requireTls13);
  }

  @Override
  public String toString() {
    return "client certificate " + alias + (onlyFor != null ? " for " + onlyFor : "") + (requireTls13 ? ", TLS 1.3 only" : "");
  }
}
