package org.mailtls.policy.identity;

import java.util.Locale;
import java.util.Optional;

/**
 * The mail services whose SRV-IDs MailTLS understands (RFC 7817 §3 rule 2, RFC 6186 §3, RFC 8314
 * §5.1 for {@code submissions}, RFC 5804 for {@code sieve}).
 *
 * <p>Each service carries its RFC 6186 service label (used in the SRV-ID {@code _label.domain},
 * without the {@code _tcp} label, SRV-03), its well-known port, whether TLS starts at connect
 * (implicit TLS, RFC 8314 §3), and its partner in the implicit/STARTTLS pair that the opt-in
 * "bundle" mode treats as one service (SRV-08).
 */
public enum MailService {
  IMAP("imap", 143, false),
  IMAPS("imaps", 993, true),
  POP3("pop3", 110, false),
  POP3S("pop3s", 995, true),
  SUBMISSION("submission", 587, false),
  SUBMISSIONS("submissions", 465, true),
  SIEVE("sieve", 4190, false);

  private final String label;
  private final int defaultPort;
  private final boolean implicitTls;

  MailService(String label, int defaultPort, boolean implicitTls) {
    this.label = label;
    this.defaultPort = defaultPort;
    this.implicitTls = implicitTls;
  }

  /** The RFC 6186 service name without the underscore, e.g. {@code imaps}. */
  public String label() {
    return label;
  }

  /** The SRV-ID service part with its underscore, e.g. {@code _imaps}. */
  public String srvLabel() {
    return "_" + label;
  }

  /** The IANA well-known port. */
  public int defaultPort() {
    return defaultPort;
  }

  /** True when TLS starts as soon as the connection opens (RFC 8314 §3). */
  public boolean implicitTls() {
    return implicitTls;
  }

  /**
   * The other member of this service's implicit-TLS/STARTTLS pair (imap/imaps, pop3/pop3s,
   * submission/submissions), or this service for {@code sieve}.
   */
  public MailService bundlePartner() {
    switch (this) {
      case IMAP: return IMAPS;
      case IMAPS: return IMAP;
      case POP3: return POP3S;
      case POP3S: return POP3;
      case SUBMISSION: return SUBMISSIONS;
      case SUBMISSIONS: return SUBMISSION;
      default: return this;
    }
  }

  /** Finds a service by its label, with or without the underscore, ASCII case-insensitively. */
  public static Optional<MailService> fromLabel(String label) {
    String l = label.startsWith("_") ? label.substring(1) : label;
    String lower = l.toLowerCase(Locale.ROOT);
    for (MailService s : values()) {
      if (s.label.equals(lower)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
