package org.mailtls.policy.server;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.security.cert.CertPathBuilder;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mailtls.policy.tls.ChainFloors;
import org.mailtls.policy.tls.FloorViolation;

/**
 * The start-up check of a mail server's certificate (R8314-S-18: "keep valid server certificates";
 * R8314-S-19: certificates chosen by SNI must cover their names).
 *
 * <p>Why at start-up: a client following RFC 8314 §4.4 and RFC 7817 refuses an expired certificate,
 * an incomplete chain or a certificate for another name, and it refuses it at every connection with
 * an error its user cannot fix. Checking once, before the server accepts connections, turns that
 * into one message for the operator. The checks, each a {@link CertificateFinding}:
 *
 * <ul>
 *   <li>every certificate of the chain is valid now (ERROR), and does not expire within the warning
 *       window (WARNING);
 *   <li>with trust anchors, the chain builds to one of them with the JDK's PKIX {@link
 *       CertPathBuilder}, using only the chain as store and no revocation checking (ERROR): a server
 *       that does not send its intermediates works only with clients that happen to have them;
 *   <li>every configured name (host names and SNI names) is covered by the leaf under the strict
 *       identity rules clients use (RFC 9525 §6, RFC 7817 §3; ERROR);
 *   <li>keys and signatures meet the floors of {@link ChainFloors} (TLS-24, TLS-25; ERROR).
 * </ul>
 *
 * <p>Time comes from the injected {@link Clock} only. Immutable and thread-safe.
 */
public final class ServerCertificateCheck {
  /** The default warning window: 30 days, a usual renewal lead time. */
  public static final Duration DEFAULT_WARNING_WINDOW = Duration.ofDays(30);

  private static final String RULE = "R8314-S-18";

  private final Clock clock;
  private final Duration warningWindow;
  private final ImmutableSet<TrustAnchor> anchors;

  private ServerCertificateCheck(Builder b) {
    this.clock = b.clock;
    this.warningWindow = b.warningWindow;
    this.anchors = ImmutableSet.copyOf(b.anchors);
  }

  /** Starts a builder judging time by {@code clock}, 30-day window, no trust anchors. */
  public static Builder builder(Clock clock) {
    return new Builder(requireNonNull(clock, "clock"));
  }

  /**
   * Checks {@code chain} (leaf first, as the server sends it) against {@code configuredNames}.
   *
   * @return every finding, errors and warnings, in the order dates, chain, names, floors; empty when
   *     the certificate is fine
   * @throws IllegalArgumentException if the chain is empty
   */
  public ImmutableList<CertificateFinding> check(List<X509Certificate> chain, Collection<String> configuredNames) {
    requireNonNull(chain, "chain");
    requireNonNull(configuredNames, "configuredNames");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the server's certificate chain is empty; a key entry needs its leaf");
    }
    List<CertificateFinding> out = new ArrayList<>();
    Instant now = clock.instant();
    for (int i = 0; i < chain.size(); i++) {
      checkDates(chain.get(i), subject(i, chain.get(i)), now, out);
    }
    PKIXCertPathBuilderResult built = anchors.isEmpty() ? null : ChainPath.build(chain, anchors, now, out);
    Set<String> names = new LinkedHashSet<>(configuredNames);
    for (String name : names) {
      ServerNameCoverage.check(name, chain.get(0), subject(0, chain.get(0)), out);
    }
    for (FloorViolation v : ChainPath.floors(chain, built)) {
      out.add(CertificateFinding.error(RULE, v.subject(), v.message() + " (" + v.rule() + "); clients refuse such a"
          + " chain: reissue it with RSA 2048+ or P-256+ keys and SHA-256+ signatures"));
    }
    return ImmutableList.copyOf(out);
  }

  /** The clock in use. */
  public Clock clock() {
    return clock;
  }

  /** How long before expiry a WARNING is given. */
  public Duration warningWindow() {
    return warningWindow;
  }

  /** The trust anchors for the chain check; empty means the chain check is skipped. */
  public ImmutableSet<TrustAnchor> trustAnchors() {
    return anchors;
  }

  private void checkDates(X509Certificate c, String subject, Instant now, List<CertificateFinding> out) {
    Instant notBefore = c.getNotBefore().toInstant();
    Instant notAfter = c.getNotAfter().toInstant();
    if (now.isBefore(notBefore)) {
      out.add(CertificateFinding.error(RULE, subject, "is not valid before " + notBefore + " (now " + now
          + "); clients refuse it until then: check the server's clock, or install a certificate valid now"));
    } else if (now.isAfter(notAfter)) {
      out.add(CertificateFinding.error(RULE, subject, "expired at " + notAfter + ", " + span(notAfter, now)
          + " ago (now " + now + "); clients refuse it: renew it and reload the server"));
    } else if (!now.plus(warningWindow).isBefore(notAfter)) {
      out.add(CertificateFinding.warning(RULE, subject, "expires at " + notAfter + ", in " + span(now, notAfter)
          + " (warning window " + warningWindow.toDays() + " days): renew it before then"));
    }
  }

  /** Whole days, or whole hours below two days. */
  private static String span(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.toDays() >= 2 ? d.toDays() + " days" : d.toHours() + " hours";
  }

  /** {@code certificate 0 (CN=mail.example.net)}; an empty subject DN is shown with the serial instead. */
  static String subject(int index, X509Certificate c) {
    String dn = c.getSubjectX500Principal().getName();
    return "certificate " + index + " (" + (dn.isEmpty() ? "empty subject, serial " + c.getSerialNumber().toString(16)
        : AuthorizationIdentities.shown(dn)) + ")";
  }

  /** Configures a check; the clock is given to {@link ServerCertificateCheck#builder(Clock)}. */
  public static final class Builder {
    private final Clock clock;
    private Duration warningWindow = DEFAULT_WARNING_WINDOW;
    private Set<TrustAnchor> anchors = Set.of();

    private Builder(Clock clock) {
      this.clock = clock;
    }

    /**
     * A WARNING is given for a certificate expiring within this window (default 30 days).
     *
     * @throws IllegalArgumentException if negative
     */
    @CanIgnoreReturnValue
    public Builder warningWindow(Duration window) {
      requireNonNull(window, "window");
      if (window.isNegative()) {
        throw new IllegalArgumentException("the warning window must not be negative: " + window);
      }
      this.warningWindow = window;
      return this;
    }

    /**
     * Trust anchors for the chain-completeness check; without them that check is skipped.
     *
     * @throws IllegalArgumentException if {@code anchors} is empty (nothing could ever build)
     */
    @CanIgnoreReturnValue
    public Builder trustAnchors(Set<TrustAnchor> anchors) {
      requireNonNull(anchors, "anchors");
      if (anchors.isEmpty()) {
        throw new IllegalArgumentException("the trust anchor set is empty; leave trustAnchors unset to skip the"
            + " chain check, or give the anchors clients trust");
      }
      this.anchors = ImmutableSet.copyOf(anchors);
      return this;
    }

    /** Builds the check. */
    public ServerCertificateCheck build() {
      return new ServerCertificateCheck(this);
    }
  }
}
