package org.mailtls.policy.server;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.tls.ChainFloors;
import org.mailtls.policy.tls.FloorViolation;

/**
 * The chain parts of {@link ServerCertificateCheck}: path building to the trust anchors (chain
 * completeness, R8314-S-18) and the key and signature floors on the path (TLS-24, TLS-25).
 *
 * <p>Why PKIX here and not MailTLS's own validator: the question at start-up is only whether the
 * chain the server sends is complete and reaches an anchor, which the JDK's builder answers with
 * the chain as its only certificate store (so a missing intermediate is missing); dates are judged
 * by their own findings, so the builder runs at an instant inside every certificate's validity.
 */
final class ChainPath {
  private ChainPath() {}

  /**
   * Builds the path with the JDK's PKIX builder, the chain as the only store, revocation off; a
   * failure is added to {@code out} as an ERROR.
   */
  static @Nullable PKIXCertPathBuilderResult build(List<X509Certificate> chain, Set<TrustAnchor> anchors,
      Instant now, List<CertificateFinding> out) {
    X509CertSelector target = new X509CertSelector();
    target.setCertificate(chain.get(0));
    try {
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false);
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
      params.setDate(Date.from(pathDate(chain, now)));
      return (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
    } catch (CertPathBuilderException e) {
      String overlap = validityOverlaps(chain) ? ""
          : "; no instant exists at which every certificate of the chain is valid";
      out.add(CertificateFinding.error("R8314-S-18", ServerCertificateCheck.subject(0, chain.get(0)), "the chain of "
          + chain.size() + " certificate(s) does not build to a trust anchor (" + rootCause(e) + overlap + "): put the intermediate"
          + " CA certificates after the leaf in the key entry's chain, and check that the leaf's CA is trusted"));
      return null;
    } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK's PKIX CertPathBuilder is unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * Now, moved into the interval where every certificate of the chain is valid when it is outside:
   * dates are reported by their own findings, so the path check judges only the chain's structure.
   */
  private static Instant pathDate(List<X509Certificate> chain, Instant now) {
    Instant from = latestNotBefore(chain);
    Instant to = earliestNotAfter(chain);
    if (from.isAfter(to)) {
      return now;
    }
    return now.isBefore(from) ? from : now.isAfter(to) ? to : now;
  }

  private static boolean validityOverlaps(List<X509Certificate> chain) {
    return !latestNotBefore(chain).isAfter(earliestNotAfter(chain));
  }

  private static Instant latestNotBefore(List<X509Certificate> chain) {
    Instant from = Instant.MIN;
    for (X509Certificate c : chain) {
      Instant nb = c.getNotBefore().toInstant();
      from = nb.isAfter(from) ? nb : from;
    }
    return from;
  }

  private static Instant earliestNotAfter(List<X509Certificate> chain) {
    Instant to = Instant.MAX;
    for (X509Certificate c : chain) {
      Instant na = c.getNotAfter().toInstant();
      to = na.isBefore(to) ? na : to;
    }
    return to;
  }

  /**
   * Floors on the built path and its anchor when PKIX built one; otherwise on the chain as sent, where
   * a trailing self-signed certificate counts as the anchor (its self-signature is never checked).
   */
  static List<FloorViolation> floors(List<X509Certificate> chain, @Nullable PKIXCertPathBuilderResult built) {
    if (built != null) {
      @SuppressWarnings("unchecked")
      List<X509Certificate> path = (List<X509Certificate>) built.getCertPath().getCertificates();
      TrustAnchor a = built.getTrustAnchor();
      return ChainFloors.check(path, a.getTrustedCert() != null ? a.getTrustedCert().getPublicKey()
          : a.getCAPublicKey());
    }
    X509Certificate last = chain.get(chain.size() - 1);
    if (isSelfSigned(last)) {
      return ChainFloors.check(chain.subList(0, chain.size() - 1), last.getPublicKey());
    }
    // No anchor known: ChainFloors always checks an anchor key, so it is handed the last certificate's
    // key, which the path check already covered; that duplicate is dropped.
    List<FloorViolation> out = new ArrayList<>();
    PublicKey lastKey = last.getPublicKey();
    for (FloorViolation v : ChainFloors.check(chain, lastKey)) {
      if (!v.subject().equals("trust anchor")) {
        out.add(v);
      }
    }
    return out;
  }

  private static boolean isSelfSigned(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static String rootCause(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t.getMessage() != null && sb.indexOf(t.getMessage()) < 0) {
        sb.append(": ").append(t.getMessage());
      }
    }
    return sb.toString();
  }

}
