package org.mailtls.provider;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailtls.policy.RevocationMode;

/**
 * RFC 5280 path building and validation run by MailTLS itself (R8314-C-25, R7817-C-02), with the
 * JDK's PKIX {@link CertPathBuilder}: the peer's certificates are only a pool to build from, the
 * date comes from the injected clock, and revocation follows the policy (TLS-31).
 *
 * <p>Why not the engine's own trust manager: it would apply the caller's endpoint-identification
 * algorithm (Angus sets "LDAPS", Netty "HTTPS"), whose name rules are wrong for mail, and it hides
 * the path it built, which the chain floors must inspect.
 */
final class PathValidator {
  private final Set<TrustAnchor> anchors;
  private final RevocationMode revocation;
  private final Clock clock;
  private final int maxChainLength;
  private final HashCode fingerprint;

  PathValidator(Set<TrustAnchor> anchors, RevocationMode revocation, Clock clock, int maxChainLength) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("no trust anchors: nothing could ever be validated");
    }
    this.anchors = Set.copyOf(anchors);
    this.revocation = revocation;
    this.clock = clock;
    this.maxChainLength = maxChainLength;
    this.fingerprint = fingerprint(this.anchors, revocation, maxChainLength);
  }

  Clock clock() {
    return clock;
  }

  /**
   * What a validation outcome depends on besides the chain: the anchor set (order-independent),
   * the revocation mode and the path length limit. Part of every {@link ValidatedChainCache} key.
   */
  HashCode fingerprint() {
    return fingerprint;
  }

  /**
   * Whether an outcome may be remembered: only when no revocation status is consulted, since a
   * status can change while the chain bytes do not.
   */
  boolean outcomeCacheable(List<byte[]> stapled) {
    return revocation == RevocationMode.NONE
        || (revocation == RevocationMode.STAPLED_OCSP && noStaple(stapled));
  }

  private static boolean noStaple(List<byte[]> stapled) {
    return stapled.isEmpty() || stapled.get(0) == null || stapled.get(0).length == 0;
  }

  private static HashCode fingerprint(Set<TrustAnchor> anchors, RevocationMode revocation, int maxChainLength) {
    List<HashCode> each = new ArrayList<>();
    for (TrustAnchor a : anchors) {
      Hasher h = Hashing.sha256().newHasher();
      try {
        if (a.getTrustedCert() != null) {
          h.putByte((byte) 1).putBytes(a.getTrustedCert().getEncoded());
        } else {
          h.putByte((byte) 2).putString(a.getCAName(), StandardCharsets.UTF_8).putBytes(a.getCAPublicKey().getEncoded());
        }
      } catch (CertificateEncodingException e) {
        // Unencodable anchor: a fresh random fingerprint makes this validator share no cache entry.
        h.putString(java.util.UUID.randomUUID().toString(), StandardCharsets.US_ASCII);
      }
      each.add(h.hash());
    }
    each.sort(Comparator.comparing(HashCode::toString));
    Hasher all = Hashing.sha256().newHasher().putString(revocation.name(), StandardCharsets.US_ASCII)
        .putInt(maxChainLength).putInt(each.size());
    each.forEach(hc -> all.putBytes(hc.asBytes()));
    return all.hash();
  }

  Set<TrustAnchor> anchors() {
    return anchors;
  }

  /**
   * Builds and validates a path from {@code chain.get(0)} to one of the anchors.
   *
   * @param stapled OCSP responses the peer stapled, first for the leaf (may be empty)
   */
  PKIXCertPathBuilderResult validate(List<X509Certificate> presented, List<byte[]> stapled)
      throws CertPathBuilderException {
    try {
      List<X509Certificate> chain = jdkCertificates(presented);
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(chain.get(0));
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setDate(Date.from(clock.instant()));
      params.setMaxPathLength(Math.max(0, maxChainLength - 1));
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
      CertPathBuilder builder = CertPathBuilder.getInstance("PKIX");
      configureRevocation(builder, params, chain.get(0), stapled);
      try {
        return (PKIXCertPathBuilderResult) builder.build(params);
      } catch (UnsupportedOperationException e) {
        // The JDK cannot match otherName constraints (SRVName, RFC 4985 §4) and throws instead of
        // refusing: refuse with a message rather than let the engine turn it into internal_error.
        throw new CertPathBuilderException("a CA in the chain has name constraints of a form the JDK's path"
            + " validator cannot evaluate (" + e.getMessage() + "; SRVName constraints are otherName constraints);"
            + " MailTLS refuses rather than ignore a constraint (SRV-07)", e);
      }
    } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
      throw new CertPathBuilderException("PKIX could not be set up: " + e.getMessage(), e);
    }
  }

  /**
   * The JDK's own certificate objects for the presented chain. BCJSSE hands over bcprov objects,
   * which verify signatures through the default JCA providers on every call; the JDK's
   * CertificateFactory returns cached objects for bytes it has seen and remembers a verified
   * signature, so a chain seen before costs microseconds instead of two P-256 verifications.
   */
  private static List<X509Certificate> jdkCertificates(List<X509Certificate> presented)
      throws CertPathBuilderException {
    try {
      java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
      java.util.ArrayList<X509Certificate> out = new java.util.ArrayList<>(presented.size());
      for (X509Certificate c : presented) {
        out.add((X509Certificate) cf.generateCertificate(new java.io.ByteArrayInputStream(c.getEncoded())));
      }
      return out;
    } catch (java.security.cert.CertificateException e) {
      throw new CertPathBuilderException("a presented certificate cannot be parsed: " + e.getMessage(), e);
    }
  }

  private void configureRevocation(CertPathBuilder builder, PKIXBuilderParameters params, X509Certificate leaf,
      List<byte[]> stapled) {
    switch (revocation) {
      case NONE:
        params.setRevocationEnabled(false);
        break;
      case REQUIRE_STATUS:
        params.setRevocationEnabled(true);
        break;
      case STAPLED_OCSP:
        if (noStaple(stapled)) {
          params.setRevocationEnabled(false);
        } else {
          PKIXRevocationChecker checker = (PKIXRevocationChecker) builder.getRevocationChecker();
          checker.setOcspResponses(Map.of(leaf, stapled.get(0)));
          checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY,
              PKIXRevocationChecker.Option.NO_FALLBACK));
          params.addCertPathChecker(checker);
          params.setRevocationEnabled(false);
        }
        break;
      default:
        throw new AssertionError(revocation);
    }
  }
}
