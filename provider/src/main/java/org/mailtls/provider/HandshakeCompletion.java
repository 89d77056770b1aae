package org.mailtls.provider;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.TrustDecision;

/**
 * What happens after a handshake finished and its version and suite passed: the connection's
 * decision is settled and kept on the session, the negotiated group and connection id are
 * recorded, the handshake is cipher-logged once, and for a client:
 *
 * <ul>
 *   <li>a resumed session (the trust manager did not run) is checked again in full, so a removed
 *       pin or an expired certificate is noticed on resumption too;
 *   <li>a PINNED session is invalidated, so it is never resumed and its pin is consulted on every
 *       handshake (RFC 8314 §5.4);
 *   <li>a client certificate sent over TLS 1.2, in the clear, is logged (RFC 8314 §8, R8314-C-36).
 * </ul>
 */
final class HandshakeCompletion {
  private static final System.Logger LOG = System.getLogger("org.mailtls.provider");

  private final TrustChecks checks;

  HandshakeCompletion(TrustChecks checks) {
    this.checks = checks;
  }

  void settle(@Nullable ConnectionContext ctx, boolean client, SSLSession session) throws SSLHandshakeException {
    if (ctx != null) {
      ctx.sniffer().groupName().ifPresent(g -> SessionDecisions.recordGroup(session, g));
      SessionDecisions.recordId(session, ctx.id());
    }
    if (!client) {
      // A server's decision exists only when it checked a client certificate; keep it on the final
      // session too (BCJSSE's handshake session is a different object).
      if (ctx != null && ctx.decision() != null) {
        SessionDecisions.record(session, ctx.decision());
      }
      log(ctx, false, session);
      return;
    }
    TrustDecision d = ctx == null ? null : ctx.decision(); // this connection's own trust-manager decision
    if (d == null) {
      // Whatever decision a resumed session carries belongs to an earlier connection (SunJSSE
      // copies session values into its TLS 1.3 tickets), so the whole server check runs again.
      d = checks.recheckResumed(session, ctx);
      if (ctx != null) {
        ctx.decided(d);
      }
      if (d instanceof TrustDecision.Refused) {
        SessionDecisions.record(session, d);
        session.invalidate();
        SSLHandshakeException e = new SSLHandshakeException(d.message());
        e.initCause(new MailTlsCertificateException((TrustDecision.Refused) d));
        throw e;
      }
    }
    SessionDecisions.record(session, d);
    log(ctx, true, session);
    if (d instanceof TrustDecision.Accepted) {
      if (((TrustDecision.Accepted) d).level() == ConfidentialityLevel.PINNED) {
        session.invalidate();
      }
      if ("TLSv1.2".equals(session.getProtocol()) && session.getLocalCertificates() != null) {
        LOG.log(System.Logger.Level.WARNING, "MailTLS: a client certificate was sent over TLS 1.2, in the clear,"
            + " to " + (ctx == null ? "the server" : ctx.peer()) + " (RFC 8314 §8); require TLS 1.3 for it with"
            + " ClientCertificateScope.requireTls13()");
      }
    }
  }

  /** One cipher-log record per connection (R8314-S-11). */
  private void log(@Nullable ConnectionContext ctx, boolean client, SSLSession session) {
    if (ctx == null || !ctx.firstLog()) {
      return;
    }
    String peer = client ? ctx.peer()
        : session.getPeerHost() == null ? "unknown" : session.getPeerHost() + ":" + session.getPeerPort();
    // A server without a certificate mapping never asks for a client certificate (R8314-S-16), so
    // there is none to name: no need to provoke the engine's SSLPeerUnverifiedException to find out.
    boolean clientCertificatePossible = client || checks.clientMapping() != null;
    HandshakeLog.handshake(ctx.id(), client, peer, session, ctx.decision(), ctx.sniffer().groupName().orElse(null),
        clientCertificatePossible);
  }
}
