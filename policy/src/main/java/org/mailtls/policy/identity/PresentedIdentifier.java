package org.mailtls.policy.identity;

import static java.util.Objects.requireNonNull;

/**
 * One usable identifier taken from a server certificate, already checked against the syntax rules
 * of RFC 9525 §6.3 / RFC 4985 and normalized (ASCII lower case). Entries that break those rules
 * never become a {@code PresentedIdentifier}; they are recorded as an {@link IgnoredIdentifier}.
 */
public sealed interface PresentedIdentifier {

  /**
   * A subjectAltName dNSName. {@code name} is the whole name (with {@code *.} when {@code
   * wildcard}); for a wildcard, {@link #wildcardBase()} is the part after {@code *.}.
   */
  record Dns(String name, boolean wildcard) implements PresentedIdentifier {
    public Dns {
      requireNonNull(name, "name");
    }

    /** The part a wildcard stands in front of, e.g. {@code example.net} for {@code *.example.net}. */
    public String wildcardBase() {
      return wildcard ? name.substring(2) : name;
    }

    @Override
    public String toString() {
      return "dNSName " + name;
    }
  }

  /**
   * A subjectAltName SRVName otherName (RFC 4985): {@code service} without its underscore, lower
   * case, and the domain the service is offered for.
   */
  record Srv(String service, String domain) implements PresentedIdentifier {
    public Srv {
      requireNonNull(service, "service");
      requireNonNull(domain, "domain");
    }

    @Override
    public String toString() {
      return "SRVName _" + service + "." + domain;
    }
  }

  /** A subjectAltName iPAddress of 4 or 16 octets. */
  record Ip(IpAddress address) implements PresentedIdentifier {
    public Ip {
      requireNonNull(address, "address");
    }

    @Override
    public String toString() {
      return "iPAddress " + address;
    }
  }

  /**
   * A subject common name that is a syntactically valid host name; used only by the legacy CN-ID
   * mode (R7817-C-09, SI-20), never in the default strict mode (SI-15).
   */
  record Cn(String name, boolean wildcard) implements PresentedIdentifier {
    public Cn {
      requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return "subject CN " + name;
    }
  }
}
