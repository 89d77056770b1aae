package org.mailtls.policy.identity;

import com.google.common.net.InternetDomainName;
import org.jspecify.annotations.Nullable;

/**
 * Syntax rules for presented names (requirements.md B.5 "presented-identifier hygiene"). Each
 * check returns {@code null} when the name is usable, or the reason it must be ignored.
 */
final class PresentedNameRules {
  /** RFC 6335 §5.1: a service name is 1 to 15 characters. */
  static final int MAX_SERVICE_LENGTH = 15;

  private PresentedNameRules() {}

  /**
   * Checks a lower-case ASCII dNSName (or legacy CN) value: LDH labels, no trailing dot, and a
   * {@code *} only as the whole left-most label, once, in front of at least two labels that are
   * not a public suffix (RFC 9525 §6.3 / SI-08, R7817-C-10, SI-23, and §7.1 for the suffix rule).
   */
  static @Nullable String checkHostName(String name) {
    if (name.endsWith(".")) {
      return "ends with a dot; presented names have no trailing dot (RFC 5280 §4.2.1.6)";
    }
    if (name.startsWith("*.")) {
      String base = name.substring(2);
      if (base.indexOf('*') >= 0) {
        return "more than one '*' (RFC 9525 §6.3)";
      }
      String reason = HostSyntax.checkLdhName(base);
      if (reason != null) {
        return reason;
      }
      if (base.indexOf('.') < 0) {
        return "a wildcard must stand in front of at least two labels (RFC 9525 §6.3)";
      }
      if (HostSyntax.hasNumericTopLabel(base)) {
        return "a wildcard in front of an address-like name";
      }
      if (isPublicSuffix(base)) {
        return "a wildcard over the public suffix \"" + base + "\" would cover unrelated domains (RFC 9525 §7.1)";
      }
      return null;
    }
    if (name.indexOf('*') >= 0) {
      return "'*' is allowed only as the whole left-most label (RFC 9525 §6.3, RFC 7817 §3 rule 5)";
    }
    String reason = HostSyntax.checkLdhName(name);
    if (reason != null) {
      return reason;
    }
    if (HostSyntax.hasNumericTopLabel(name)) {
      return "an IP address written as a name is not an IP-ID; it must be an iPAddress entry (RFC 9525 §6.4)";
    }
    return null;
  }

  /**
   * True when {@code name} is a public suffix, registry or private section alike: a wildcard over
   * {@code github.io} is as dangerous as one over {@code co.uk}. Names Guava cannot parse count as
   * public suffixes (fail closed).
   */
  private static boolean isPublicSuffix(String name) {
    if (!InternetDomainName.isValid(name)) {
      return true;
    }
    return InternetDomainName.from(name).isPublicSuffix();
  }

  /**
   * Splits and checks an SRVName value {@code _service.domain} (RFC 4985 §2, SRV-03, SRV-08).
   * Returns the parsed identifier, or throws {@link IllegalArgumentException} with the reason.
   */
  static PresentedIdentifier.Srv parseSrvName(String value) {
    if (!value.startsWith("_")) {
      throw new IllegalArgumentException("the service label must start with '_' (RFC 4985 §2)");
    }
    int dot = value.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("no domain after the service label (RFC 4985 §2)");
    }
    String service = value.substring(1, dot);
    String domain = value.substring(dot + 1);
    String serviceReason = checkServiceLabel(service);
    if (serviceReason != null) {
      throw new IllegalArgumentException(serviceReason);
    }
    if (domain.startsWith("_tcp.") || domain.startsWith("_udp.")) {
      throw new IllegalArgumentException("an SRVName has no _Proto label such as _tcp (RFC 4985 §2, SRV-03)");
    }
    if (domain.indexOf('*') >= 0) {
      throw new IllegalArgumentException("no wildcard is defined for SRV-IDs (SRV-08)");
    }
    String domainReason = HostSyntax.checkLdhName(domain);
    if (domainReason == null && HostSyntax.hasNumericTopLabel(domain)) {
      domainReason = "the domain looks like an IP address";
    }
    if (domainReason != null) {
      throw new IllegalArgumentException("domain part: " + domainReason);
    }
    return new PresentedIdentifier.Srv(service, domain);
  }

  private static @Nullable String checkServiceLabel(String service) {
    if (service.isEmpty() || service.length() > MAX_SERVICE_LENGTH) {
      return "a service name has 1 to " + MAX_SERVICE_LENGTH + " characters (RFC 6335 §5.1)";
    }
    for (int i = 0; i < service.length(); i++) {
      char c = service.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return "a service name has only letters, digits and hyphens (RFC 6335 §5.1)";
      }
    }
    if (service.startsWith("-") || service.endsWith("-")) {
      return "a service name does not start or end with a hyphen (RFC 6335 §5.1)";
    }
    return null;
  }
}
