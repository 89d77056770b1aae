package org.mailtls.policy.identity;

import static java.util.Objects.requireNonNull;

/**
 * One identity a mail client expects the server to prove, built before the certificate is seen
 * (RFC 9525 §6.1.1, SI-01). There are three kinds for mail: DNS-ID, SRV-ID and IP-ID; URI-IDs are
 * never used for mail (RFC 7817 §3 rule 3, R7817-C-08) and CN-IDs are a legacy matching mode over
 * the DNS-IDs, not a reference kind of their own (SI-15, SI-20).
 */
public sealed interface ReferenceIdentity {

  /** Why this identity is in the list; shown to users so they can tell which setting to fix. */
  ReferenceSource source();

  /** One line such as {@code DNS-ID mail.example.net (the host connected to)}. */
  default String describe() {
    return this + " (" + source().description() + ")";
  }

  /** A DNS-ID: the server must present this host name as a dNSName (RFC 9525 §6.3, SI-06..SI-08). */
  record DnsId(DnsName name, ReferenceSource source) implements ReferenceIdentity {
    public DnsId {
      requireNonNull(name, "name");
      requireNonNull(source, "source");
    }

    @Override
    public String toString() {
      return "DNS-ID " + name;
    }
  }

  /**
   * An SRV-ID {@code _service.domain} (RFC 4985, RFC 7817 §3 rule 2): the server must present an
   * SRVName naming both this service and this domain; the two parts are never matched separately
   * (SI-10).
   */
  record SrvId(MailService service, DnsName domain, ReferenceSource source) implements ReferenceIdentity {
    public SrvId {
      requireNonNull(service, "service");
      requireNonNull(domain, "domain");
      requireNonNull(source, "source");
    }

    @Override
    public String toString() {
      return "SRV-ID " + service.srvLabel() + "." + domain;
    }
  }

  /** An IP-ID: the server must present these exact octets as an iPAddress (RFC 9525 §6.4, SI-09). */
  record IpId(IpAddress address, ReferenceSource source) implements ReferenceIdentity {
    public IpId {
      requireNonNull(address, "address");
      requireNonNull(source, "source");
    }

    @Override
    public String toString() {
      return "IP-ID " + address;
    }
  }
}
