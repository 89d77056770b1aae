package org.mailtls.cli.probe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.MailService;
import org.mailtls.provider.JsseEngine;

/**
 * What to probe, validated: the command line's strings become a host, a port, a service and the
 * options, or a {@link UsageException} with one line saying what is wrong.
 *
 * <p>Why the command takes strings and validates here instead of letting picocli convert: picocli's
 * own conversion errors print the whole usage text, and the probe promises one line per usage error;
 * it also keeps the port/service defaulting rules in one tested place.
 *
 * @param host the host as typed (IPv6 literals without brackets); the reference identity
 * @param port the TCP port
 * @param service the mail service spoken on that port
 * @param email the account's address, whose domain becomes a reference identity, if given
 * @param trust a PEM file of trust anchors; empty means the JDK's trust store
 * @param engine the JSSE engine under MailTLS
 * @param implicitPort for a STARTTLS service, the port of its implicit-TLS partner
 * @param timeout bound for each connect, read and handshake
 */
public record ProbeRequest(String host, int port, MailService service, Optional<String> email, Optional<Path> trust,
    JsseEngine engine, int implicitPort, Duration timeout) {

  /**
   * Validates the command line.
   *
   * @param target {@code HOST}, {@code HOST:PORT}, {@code [IPv6]:PORT} or a bare IPv6 literal
   * @param serviceName the {@code --service} value, or null to take it from the port
   * @param startTls whether {@code --starttls} was given
   * @param implicitPort the hidden {@code --implicit-port}, or null for the partner's standard port
   * @param timeoutSeconds the {@code --timeout} value
   * @throws UsageException with one line when anything is wrong
   */
  public static ProbeRequest of(String target, @Nullable String serviceName, boolean startTls, @Nullable String email,
      @Nullable Path trust, String engine, @Nullable String implicitPort, String timeoutSeconds)
      throws UsageException {
    String host;
    String portText = null;
    if (target.startsWith("[")) {
      int close = target.indexOf(']');
      if (close < 0 || (close + 1 < target.length() && target.charAt(close + 1) != ':')) {
        throw new UsageException("bad target \"" + target + "\": use [IPv6]:PORT");
      }
      host = target.substring(1, close);
      portText = close + 1 < target.length() ? target.substring(close + 2) : null;
    } else if (target.indexOf(':') >= 0 && target.indexOf(':') == target.lastIndexOf(':')) {
      host = target.substring(0, target.indexOf(':'));
      portText = target.substring(target.indexOf(':') + 1);
    } else {
      host = target; // a name, or a bare IPv6 literal (several colons)
    }
    if (host.isEmpty()) {
      throw new UsageException("bad target \"" + target + "\": no host");
    }
    try {
      MailEndpoint.normalize(host);
    } catch (IllegalArgumentException e) {
      throw new UsageException("bad host \"" + host + "\": " + e.getMessage());
    }
    Integer port = portText == null ? null : port(portText, "port");
    MailService service = service(serviceName, port, startTls);
    int finalPort = port != null ? port : service.defaultPort();
    int partnerPort = implicitPort != null ? port(implicitPort, "--implicit-port")
        : service.bundlePartner().defaultPort();
    if (!timeoutSeconds.matches("[0-9]{1,3}") || Integer.parseInt(timeoutSeconds) < 1
        || Integer.parseInt(timeoutSeconds) > 300) {
      throw new UsageException("bad --timeout \"" + timeoutSeconds + "\": give 1 to 300 seconds");
    }
    JsseEngine jsse;
    try {
      jsse = JsseEngine.parse(engine);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ProbeRequest r = new ProbeRequest(host, finalPort, service, Optional.ofNullable(email), Optional.ofNullable(trust),
        jsse, partnerPort, Duration.ofSeconds(Integer.parseInt(timeoutSeconds)));
    if (email != null) {
      try {
        r.account();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new UsageException("bad --email \"" + email + "\": " + e.getMessage());
      }
    }
    return r;
  }

  /** True for imap, pop3 and submission: TLS starts after the protocol's STARTTLS / STLS. */
  public boolean startTls() {
    return !service.implicitTls();
  }

  /** {@code host:port} for messages, with brackets around an IPv6 literal. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * The account for {@code --email}: endpoints HOST:PORT/service and, for a STARTTLS service, the
   * implicit-TLS partner's port, so the implicit-TLS check is judged by the same reference
   * identities (MailTLS refuses a host:port that is not one of the account's endpoints).
   */
  public Optional<AccountPolicy> account() {
    if (email.isEmpty()) {
      return Optional.empty();
    }
    AccountPolicy.Builder b = AccountPolicy.builder("mailtls-probe").emailAddress(email.get())
        .addEndpoint(MailEndpoint.of(host, port, service, HostProvenance.USER_TYPED));
    if (startTls() && implicitPort != port) {
      b.addEndpoint(MailEndpoint.of(host, implicitPort, service.bundlePartner(), HostProvenance.USER_TYPED));
    }
    return Optional.of(b.build());
  }

  private static int port(String text, String what) throws UsageException {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new UsageException("bad " + what + " \"" + text + "\": give a number from 1 to 65535");
    }
    int p = Integer.parseInt(text);
    if (p < 1 || p > 65_535) {
      throw new UsageException("bad " + what + " " + p + ": give a number from 1 to 65535");
    }
    return p;
  }

  private static MailService service(@Nullable String name, @Nullable Integer port, boolean startTls)
      throws UsageException {
    MailService s;
    if (name != null) {
      s = MailService.fromLabel(name).filter(m -> m != MailService.SIEVE).orElseThrow(() -> new UsageException(
          "unknown service \"" + name + "\": use imaps, pop3s, submissions, imap, pop3 or submission"));
    } else if (port != null) {
      s = byPort(port);
    } else {
      s = startTls ? MailService.IMAP : MailService.IMAPS;
    }
    if (startTls && s.implicitTls()) {
      throw new UsageException("--starttls does not go with " + s.label() + " (implicit TLS): use --service "
          + s.bundlePartner().label());
    }
    return s;
  }

  private static MailService byPort(int port) throws UsageException {
    for (MailService s : MailService.values()) {
      if (s != MailService.SIEVE && s.defaultPort() == port) {
        return s;
      }
    }
    throw new UsageException("port " + port + " is not a standard mail port: say which service with --service"
        + " (imaps, pop3s, submissions, imap, pop3, submission)");
  }
}
