package org.mailtls.cli.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.mailtls.cli.pin.MailConnector;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.IdentityMatch;
import org.mailtls.policy.identity.MailService;
import org.mailtls.provider.MailTls;
import org.mailtls.provider.MinimumConfidentialityException;

/**
 * The client half of the demo: one account (minimum confidentiality level on, the default) whose
 * only trust anchor is the demo CA, connecting with MailTLS to each demo server as {@value
 * DemoServers#HOST}. Every connection layers MailTLS over a plain socket, as a STARTTLS client must,
 * so MailTLS also sees which key-exchange group was negotiated.
 */
public final class ConnectionDemo {
  /** The email address of the demo account. */
  public static final String EMAIL = "user@example.test";

  private static final int TIMEOUT_MILLIS = 5_000;

  /** What a connection should come to. */
  private enum Expect { VERIFIED, NAME_MISMATCH, HANDSHAKE_FAILURE }

  private final DemoServers servers;
  private final AccountPolicy account;
  private final SSLContext client;
  private final String loopback = InetAddress.getLoopbackAddress().getHostAddress();

  private ConnectionDemo(DemoServers servers) throws GeneralSecurityException {
    this.servers = servers;
    this.account = AccountPolicy.builder("demo").emailAddress(EMAIL)
        .addEndpoint(endpoint(servers.compliantPort(), MailService.IMAPS))
        .addEndpoint(endpoint(servers.wrongNamePort(), MailService.IMAPS))
        .addEndpoint(endpoint(servers.legacyPort(), MailService.IMAPS))
        .addEndpoint(endpoint(servers.startTlsPort(), MailService.IMAP))
        .build();
    this.client = MailConnector.clientContext(account, servers.trustStore(), null);
  }

  private static MailEndpoint endpoint(int port, MailService service) {
    return MailEndpoint.of(DemoServers.HOST, port, service, HostProvenance.USER_TYPED);
  }

  /** Connects to every demo server and returns the verdicts, in the order they are printed. */
  public static List<Verdict> run(DemoServers servers) throws GeneralSecurityException {
    ConnectionDemo d = new ConnectionDemo(servers);
    List<Verdict> out = new ArrayList<>();
    out.add(d.implicitTls("compliant IMAPS server, TLS 1.3", servers.compliantPort(), Expect.VERIFIED));
    out.add(d.implicitTls("compliant IMAPS server, client offers only TLS 1.2", servers.compliantPort(),
        Expect.VERIFIED, "TLSv1.2"));
    out.add(d.implicitTls("IMAPS server, certificate for " + DemoServers.WRONG_NAME, servers.wrongNamePort(),
        Expect.NAME_MISMATCH));
    out.add(d.implicitTls("legacy IMAPS server speaking only TLS 1.1", servers.legacyPort(),
        Expect.HANDSHAKE_FAILURE));
    out.addAll(d.startTls());
    return out;
  }

  private Verdict implicitTls(String title, int port, Expect expect, String... protocols) {
    try (SSLSocket tls = MailConnector.connect(client, DemoServers.HOST, loopback, port, MailService.IMAPS,
        TIMEOUT_MILLIS, protocols)) {
      return accepted(title, tls.getSession(), expect == Expect.VERIFIED, List.of());
    } catch (IOException e) {
      return refused(title, e, expect);
    }
  }

  /**
   * The STARTTLS-only server: on the cleartext connection the pre-AUTH guard refuses to log in
   * (R8314-C-22); after STARTTLS the same connection is VERIFIED and the guard lets LOGIN through.
   */
  private List<Verdict> startTls() {
    String before = "STARTTLS-only IMAP server, LOGIN before STARTTLS";
    String after = "STARTTLS-only IMAP server, after STARTTLS";
    List<Verdict> out = new ArrayList<>();
    Socket plain;
    try {
      plain = MailConnector.openPlain(loopback, servers.startTlsPort(), TIMEOUT_MILLIS);
    } catch (IOException e) {
      out.add(refused(before, e, Expect.VERIFIED));
      out.add(refused(after, e, Expect.VERIFIED));
      return out;
    }
    try {
      MailTls.requireMinimumConfidentiality(plain, account);
      out.add(new Verdict(before, true, false, List.of("the pre-AUTH guard let LOGIN through on a cleartext"
          + " connection")));
    } catch (MinimumConfidentialityException e) {
      out.add(new Verdict(before, false, true, List.of("R8314-C-22 (pre-AUTH guard): " + e.assessment().summary()
          + "; LOGIN is not sent")));
    }
    try {
      MailConnector.startTls(plain, MailService.IMAP);
      try (SSLSocket tls = MailConnector.layer(client, plain, DemoServers.HOST, servers.startTlsPort())) {
        MailTls.requireMinimumConfidentiality(tls, account);
        out.add(accepted(after, tls.getSession(), true, List.of("the pre-AUTH guard now lets LOGIN through")));
      }
    } catch (IOException e) {
      out.add(refused(after, e, Expect.VERIFIED));
    } finally {
      closeQuietly(plain);
    }
    return out;
  }

  private static Verdict accepted(String title, SSLSession session, boolean expected, List<String> more) {
    Optional<TrustDecision> d = MailTls.decisionOf(session);
    if (d.isEmpty() || !(d.get() instanceof TrustDecision.Accepted)) {
      return new Verdict(title, true, false, List.of("handshake completed without a MailTLS decision"));
    }
    TrustDecision.Accepted a = (TrustDecision.Accepted) d.get();
    List<String> details = new ArrayList<>();
    details.add(a.level() + ": " + a.protocol() + ", " + a.cipherSuite() + ", group "
        + MailTls.negotiatedGroup(session).orElse("(unknown)"));
    a.validatedIdentity().map(IdentityMatch.Matched::message).ifPresent(details::add);
    details.addAll(more);
    return new Verdict(title, true, expected && a.level() == ConfidentialityLevel.VERIFIED, details);
  }

  private static Verdict refused(String title, IOException e, Expect expect) {
    Optional<TrustDecision.Refused> r = MailTls.decisionOf(e);
    if (r.isPresent()) {
      boolean right = expect == Expect.NAME_MISMATCH && r.get().identityMismatch().isPresent();
      return new Verdict(title, false, right, List.of(r.get().rule() + ": " + firstLine(r.get().reason())));
    }
    boolean right = expect == Expect.HANDSHAKE_FAILURE && e instanceof SSLException;
    List<String> details = new ArrayList<>();
    details.add((e instanceof SSLException ? "" : "connection failed: ") + firstLine(String.valueOf(e.getMessage())));
    if (right) {
      details.add("MailTLS offers only TLS 1.3 and 1.2 (RFC 8996, RFC 9325); the server knows nothing newer than 1.1");
    }
    return new Verdict(title, false, right, details);
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // the demo is over for this connection either way
    }
  }
}
