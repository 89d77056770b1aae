package org.mailtls.provider;

import java.util.Optional;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.tls.CipherSuites;
import org.mailtls.policy.tls.TlsVersion;

/** Checks a negotiated protocol and suite against the policy (defence in depth, TLS-01, TLS-12..18). */
final class NegotiatedCheck {
  private NegotiatedCheck() {}

  /** The violation, or empty when both are allowed. */
  static Optional<String> violation(MailTlsPolicy policy, String protocol, String suite) {
    Optional<TlsVersion> v = TlsVersion.fromJsseName(protocol);
    if (v.isEmpty() || !policy.protocols().contains(v.get())) {
      return Optional.of("negotiated protocol " + protocol + " is not allowed; allowed: "
          + java.util.Arrays.toString(policy.protocolNames()) + " (TLS-01, RFC 8996)");
    }
    if (!policy.cipherSuites().contains(suite)) {
      return Optional.of("negotiated cipher suite " + CipherSuites.whyRefused(suite).orElse(suite + " is not enabled by the policy"));
    }
    return Optional.empty();
  }
}
