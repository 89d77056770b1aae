package org.mailtls.policy.server;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The outcome of a {@link ClientCertificateMapping}, as a value: the server either has an
 * authorization identity for SASL EXTERNAL (RFC 4422 Appendix A) or a reason why it has none.
 *
 * <p>Why a value: an unmapped certificate is not an error of the TLS handshake. RFC 8314 §4.2 lets
 * the session go on; the server then simply does not offer EXTERNAL, and the reason goes to the log
 * so an operator can see what the certificate has and what the mapping expects.
 */
public sealed interface MappingResult {

  /** A mapped result; {@code identity} must already be a valid authorization identity. */
  static Mapped mapped(String identity, String how) {
    return new Mapped(identity, how);
  }

  /** An unmapped result with the reason. */
  static Unmapped unmapped(String reason) {
    return new Unmapped(reason);
  }

  /** True for {@link Mapped}. */
  boolean isMapped();

  /** The identity when mapped, empty when not. */
  Optional<String> mappedIdentity();

  /**
   * The certificate maps to {@code identity}.
   *
   * @param identity the authorization identity (no NUL or other control characters, RFC 4422 §3.4.1)
   * @param how what in the certificate produced it, e.g. {@code rfc822Name alice@example.net}
   */
  record Mapped(String identity, String how) implements MappingResult {
    public Mapped {
      requireNonNull(identity, "identity");
      requireNonNull(how, "how");
      String problem = AuthorizationIdentities.problem(identity);
      if (problem != null) {
        throw new IllegalArgumentException("not a usable authorization identity: " + problem);
      }
    }

    @Override
    public boolean isMapped() {
      return true;
    }

    @Override
    public Optional<String> mappedIdentity() {
      return Optional.of(identity);
    }

    @Override
    public String toString() {
      return "mapped to \"" + identity + "\" by " + how;
    }
  }

  /**
   * The certificate maps to no identity.
   *
   * @param reason what the certificate has and what the mapping expects
   */
  record Unmapped(String reason) implements MappingResult {
    public Unmapped {
      requireNonNull(reason, "reason");
    }

    @Override
    public boolean isMapped() {
      return false;
    }

    @Override
    public Optional<String> mappedIdentity() {
      return Optional.empty();
    }

    @Override
    public String toString() {
      return "not mapped: " + reason;
    }
  }
}
