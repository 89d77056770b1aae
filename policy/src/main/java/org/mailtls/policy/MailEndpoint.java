package org.mailtls.policy;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;
import java.util.Optional;
import org.mailtls.policy.identity.DnsName;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.IpAddress;
import org.mailtls.policy.identity.MailService;

/**
 * One server an account talks to: host (as typed or stored), port, mail service, and where the
 * host name came from (requirements.md B.2). The host is validated when the endpoint is made, so a
 * bad name fails at configuration time rather than at the first connection.
 */
@Immutable
public final class MailEndpoint {
  private final String host;
  private final String normalizedHost;
  private final int port;
  private final MailService service;
  private final HostProvenance provenance;

  private MailEndpoint(String host, String normalizedHost, int port, MailService service, HostProvenance provenance) {
    this.host = host;
    this.normalizedHost = normalizedHost;
    this.port = port;
    this.service = service;
    this.provenance = provenance;
  }

  /**
   * An endpoint; {@code port} 0 means the service's well-known port.
   *
   * @throws IllegalArgumentException for an invalid host or port
   */
  public static MailEndpoint of(String host, int port, MailService service, HostProvenance provenance) {
    requireNonNull(host, "host");
    requireNonNull(service, "service");
    requireNonNull(provenance, "provenance");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return new MailEndpoint(host, normalize(host), port == 0 ? service.defaultPort() : port, service, provenance);
  }

  /** An endpoint the user typed, on the service's well-known port. */
  public static MailEndpoint of(String host, MailService service) {
    return of(host, 0, service, HostProvenance.USER_TYPED);
  }

  /**
   * The comparable form of a host: the IP literal's canonical text, or the A-label name.
   *
   * @throws IllegalArgumentException if {@code host} is neither
   */
  public static String normalize(String host) {
    Optional<IpAddress> ip = IpAddress.tryParse(host);
    return ip.isPresent() ? ip.get().toString() : DnsName.parse(host).ascii();
  }

  /** The host as given. */
  public String host() {
    return host;
  }

  /** The host in comparable form (see {@link #normalize}). */
  public String normalizedHost() {
    return normalizedHost;
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** The mail service. */
  public MailService service() {
    return service;
  }

  /** Where the host name came from. */
  public HostProvenance provenance() {
    return provenance;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MailEndpoint)) {
      return false;
    }
    MailEndpoint e = (MailEndpoint) o;
    return e.normalizedHost.equals(normalizedHost) && e.port == port && e.service == service
        && e.provenance == provenance;
  }

  @Override
  public int hashCode() {
    return ((normalizedHost.hashCode() * 31 + port) * 31 + service.hashCode()) * 31 + provenance.hashCode();
  }

  @Override
  public String toString() {
    return service.label() + "://" + host + ":" + port + " (" + provenance + ")";
  }
}
