package org.mailtls.provider;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.HashCode;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.identity.NameConstraintsCheck;
import org.mailtls.policy.tls.ChainFloors;
import org.mailtls.policy.tls.FloorViolation;

/**
 * The chain half of a trust decision: PKIX path validation by MailTLS (R8314-C-25, before any name
 * check, R7817-C-02), the key and signature floors (TLS-24, TLS-25), the name constraints the JDK
 * does not apply (SRVName, SI-17, the anchor's own; {@link NameConstraintsCheck}) and the extended
 * key usage (RFC 5280 §4.2.1.12). It says whether a failure is one a pin may stand in for: path, expiry and
 * EKU failures are; floor violations never are (RFC 8314 §5.4).
 */
final class ChainValidation {
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EKU = "2.5.29.37.0";

  /** The outcome: no problem, or the rule, the reason and whether a pin may stand in for it. */
  record Outcome(@Nullable String rule, String reason, ImmutableList<FloorViolation> violations, boolean pinnable,
      ValidatedChainCache.@Nullable Window window) {
    static final Outcome OK = new Outcome(null, "", ImmutableList.of(), false, null);

    Outcome(@Nullable String rule, String reason, ImmutableList<FloorViolation> violations, boolean pinnable) {
      this(rule, reason, violations, pinnable, null);
    }

    /** A success over a built path, with the window in which it stays true. */
    static Outcome validated(ValidatedChainCache.Window window) {
      return new Outcome(null, "", ImmutableList.of(), false, window);
    }

    boolean ok() {
      return rule == null;
    }
  }

  private final PathValidator paths;
  private final ValidatedChainCache cache;

  ChainValidation(PathValidator paths, ValidatedChainCache cache) {
    this.paths = paths;
    this.cache = cache;
  }

  /**
   * The chain outcome. A chain that passed every check here before, under the same anchors and
   * policy and still inside its validity window, is answered from the {@link ValidatedChainCache};
   * everything else is validated in full. Identity is never part of this outcome.
   *
   * @param hs the handshake session, for stapled OCSP responses (null: none)
   */
  Outcome validate(List<X509Certificate> chain, @Nullable SSLSession hs, String requiredEku) {
    return validate(chain, stapledResponses(hs), requiredEku);
  }

  /** As above, with the OCSP responses the peer stapled (first for the leaf; may be empty). */
  Outcome validate(List<X509Certificate> chain, List<byte[]> stapled, String requiredEku) {
    HashCode key = paths.outcomeCacheable(stapled) ? ValidatedChainCache.key(chain, requiredEku, paths.fingerprint())
        : null;
    if (key != null && cache.isValidated(key, paths.clock().instant())) {
      return Outcome.OK;
    }
    Outcome outcome = validateInFull(chain, stapled, requiredEku);
    if (key != null && outcome.ok()) {
      cache.recordValidated(key, outcome.window());
    }
    return outcome;
  }

  private Outcome validateInFull(List<X509Certificate> chain, List<byte[]> stapled, String requiredEku) {
    PKIXCertPathBuilderResult path;
    try {
      path = paths.validate(chain, stapled);
    } catch (CertPathBuilderException e) {
      // Pins never stand in for the floors: check them on what was presented.
      ImmutableList<FloorViolation> floors = ChainFloors.check(chain, chain.get(chain.size() - 1).getPublicKey());
      if (!floors.isEmpty()) {
        return new Outcome(floors.get(0).rule(), "the presented chain breaks the key or signature floors", floors, false);
      }
      return new Outcome("R8314-C-25", "the certificate chain does not validate (RFC 5280): " + rootCause(e),
          ImmutableList.of(), true);
    }
    @SuppressWarnings("unchecked")
    List<X509Certificate> built = (List<X509Certificate>) path.getCertPath().getCertificates();
    TrustAnchor anchor = path.getTrustAnchor();
    ImmutableList<FloorViolation> floors = ChainFloors.check(built,
        anchor.getTrustedCert() != null ? anchor.getTrustedCert().getPublicKey() : anchor.getCAPublicKey());
    if (!floors.isEmpty()) {
      return new Outcome(floors.get(0).rule(), "the validated chain breaks the key or signature floors", floors, false);
    }
    List<X509Certificate> cas = new java.util.ArrayList<>(built.subList(1, built.size()));
    if (anchor.getTrustedCert() != null) {
      cas.add(anchor.getTrustedCert());
    }
    java.util.Optional<NameConstraintsCheck.Violation> nc = NameConstraintsCheck.check(cas, built.get(0));
    if (nc.isPresent()) {
      return new Outcome(nc.get().rule(), nc.get().message(), ImmutableList.of(), true);
    }
    String ekuProblem = checkEku(chain.get(0), requiredEku);
    if (ekuProblem != null) {
      return new Outcome("R8314-C-25", ekuProblem, ImmutableList.of(), true);
    }
    List<X509Certificate> withAnchor = new java.util.ArrayList<>(built);
    if (anchor.getTrustedCert() != null) {
      withAnchor.add(anchor.getTrustedCert());
    }
    return Outcome.validated(ValidatedChainCache.Window.of(withAnchor));
  }

  private static @Nullable String checkEku(X509Certificate leaf, String required) {
    List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return "the extended key usage extension cannot be parsed: " + e.getMessage();
    }
    if (eku == null || eku.contains(required) || eku.contains(ANY_EKU)) {
      return null;
    }
    return "the leaf's extended key usage " + eku + " does not allow "
        + (required.equals(SERVER_AUTH) ? "serverAuth" : "clientAuth") + " (RFC 5280 §4.2.1.12)";
  }

  private static List<byte[]> stapledResponses(@Nullable SSLSession hs) {
    if (hs instanceof ExtendedSSLSession) {
      try {
        return ((ExtendedSSLSession) hs).getStatusResponses();
      } catch (UnsupportedOperationException e) {
        return List.of();
      }
    }
    return List.of();
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
        sb.append(": ").append(t.getMessage());
      }
    }
    return sb.toString();
  }
}
