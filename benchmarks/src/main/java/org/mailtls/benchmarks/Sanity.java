package org.mailtls.benchmarks;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.MailTls;

/**
 * Checks run from {@code @Setup} before anything is measured, so a benchmark never times a
 * configuration that does not do what its name says. Every failure throws {@link AssertionError}
 * with the reason, which makes JMH report the benchmark as failed; observations are printed.
 */
final class Sanity {
  private Sanity() {}

  /** What one checked handshake showed. */
  record Outcome(SSLSession clientSession, boolean resumed, String wire) {}

  /**
   * One handshake of fresh engines that must succeed with {@code protocol} and {@code suite}; for a
   * MailTLS client the session must carry an accepted, VERIFIED decision with a validated identity
   * (the mail identity check ran). Returns what the wire showed.
   */
  static Outcome handshake(String label, Variant variant, SSLContext client, SSLContext server, String host, int port,
      String protocol, String suite) {
    HandshakePump pump = new HandshakePump().inspect(true);
    SSLEngine c = variant.clientEngine(client, host, port, protocol, suite);
    SSLEngine s = Variant.serverEngine(server, protocol, suite);
    try {
      pump.run(c, s);
    } catch (HandshakePump.Failure e) {
      throw new AssertionError(label + ": the handshake to " + host + ":" + port + " failed: " + e.getMessage()
          + MailTls.decisionOf(e).map(d -> " (MailTLS: " + d.message() + ")").orElse(""), e);
    }
    SSLSession session = c.getSession();
    check(protocol.equals(session.getProtocol()) && suite.equals(session.getCipherSuite()), label
        + ": negotiated " + session.getProtocol() + " " + session.getCipherSuite() + ", expected " + protocol + " " + suite);
    check(pump.wire().sawServerHello() && !pump.wire().helloRetryRequest(),
        label + ": unexpected server flight: " + pump.wire().describe());
    if (variant.isMailTls()) {
      Optional<TrustDecision> d = MailTls.decisionOf(session);
      check(d.isPresent() && d.get() instanceof TrustDecision.Accepted, label
          + ": MailTLS recorded no accepted decision on the session: " + d);
      TrustDecision.Accepted a = (TrustDecision.Accepted) d.get();
      check(a.level() == ConfidentialityLevel.VERIFIED && a.validatedIdentity().isPresent(), label
          + ": MailTLS did not verify the identity: " + a.message());
    }
    return new Outcome(session, pump.wire().resumed(), pump.wire().describe());
  }

  /**
   * A handshake to {@link Fixtures#WRONG_HOST} must fail on the client (identity checking is on);
   * for MailTLS the failure must be MailTLS's identity refusal.
   */
  static String refusesWrongHost(String label, Variant variant, SSLContext client, SSLContext server, int port,
      String protocol, String suite) {
    HandshakePump pump = new HandshakePump();
    SSLEngine c = variant.clientEngine(client, Fixtures.WRONG_HOST, port, protocol, suite);
    SSLEngine s = Variant.serverEngine(server, protocol, suite);
    try {
      pump.run(c, s);
    } catch (HandshakePump.Failure e) {
      check(e.client, label + ": the wrong host failed on the server side, not by the client's identity check: " + e);
      if (variant.isMailTls()) {
        Optional<TrustDecision.Refused> r = MailTls.decisionOf(e);
        check(r.isPresent() && r.get().identityMismatch().isPresent(), label
            + ": MailTLS refused the wrong host, but not for its identity: " + r.map(TrustDecision::message).orElse(
                e.toString()));
        return "wrong host " + Fixtures.WRONG_HOST + " refused by MailTLS (" + r.get().rule() + ")";
      }
      return "wrong host " + Fixtures.WRONG_HOST + " refused by the client (" + rootMessage(e) + ")";
    }
    throw new AssertionError(label + ": a handshake to " + Fixtures.WRONG_HOST + " succeeded with a certificate for "
        + Fixtures.HOST + ": identity checking is off");
  }

  /** The leaf the server presented in {@code session}. */
  static X509Certificate peerLeaf(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return (X509Certificate) chain[0];
    } catch (SSLPeerUnverifiedException e) {
      throw new AssertionError("no peer certificate in the session: " + e, e);
    }
  }

  static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError("SANITY CHECK FAILED: " + message);
    }
  }

  static void report(String line) {
    System.out.println("[sanity] " + line);
  }

  private static String rootMessage(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r.getClass().getSimpleName() + ": " + r.getMessage();
  }
}
