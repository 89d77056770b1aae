package org.mailtls.provider;

import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ConnectionAssessment;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.received.ReceivedTlsClause;

/**
 * The MailTLS facade (Conscrypt style): MailTLS extras on standard JSSE objects, so mail code keeps
 * using only {@code javax.net.ssl} types.
 */
public final class MailTls {
  private MailTls() {}

  /**
   * The decision recorded for a connection's session ({@code socket.getSession()}, {@code
   * engine.getSession()}, or the handshake session): what matched and what was negotiated. For a
   * refused handshake there is no session; use {@link #decisionOf(Throwable)} on the exception.
   */
  public static Optional<TrustDecision> decisionOf(SSLSession session) {
    return Optional.ofNullable(SessionDecisions.find(session));
  }

  /**
   * The key-exchange group negotiated on a session, as its IANA name ({@code x25519},
   * {@code secp256r1}, ...), when MailTLS saw it in the server's cleartext handshake bytes. No engine
   * exposes it; empty means unknown (never a guess), e.g. on a socket MailTLS could not observe.
   */
  public static Optional<String> negotiatedGroup(SSLSession session) {
    return Optional.ofNullable(SessionDecisions.findGroup(session));
  }

  /**
   * The RFC 8314 §4.3 / §7.4 Received clause for a server session: {@code tls <IANA suite>}
   * followed by {@code group <IANA group>} when MailTLS saw the negotiated group (R8314-S-10,
   * S-17). Put {@code clause.render()} in the Received field's optional-info part, or hand the
   * clause to {@code ReceivedHeaders.builder().tls(clause)}.
   */
  public static ReceivedTlsClause receivedClause(SSLSession session) {
    ReceivedTlsClause clause = ReceivedTlsClause.forJsseSuite(session.getCipherSuite());
    Optional<String> group = negotiatedGroup(session);
    return group.isPresent() ? clause.withGroup(group.get()) : clause;
  }

  /**
   * Writes the cipher-log record of an authentication attempt (RFC 8314 §4, R8314-S-11) to the
   * {@code org.mailtls.auth} logger, with the connection's id, TLS version, suite and group.
   *
   * @param session the TLS session, or null for a cleartext connection
   * @param peer the client's address as the server sees it
   * @param mechanism e.g. {@code PLAIN}, {@code EXTERNAL}, {@code LOGIN}
   * @param user the authentication identity (never the password)
   */
  public static void logAuthentication(@Nullable SSLSession session, String peer, String mechanism, String user,
      boolean success) {
    HandshakeLog.authentication(session, peer, mechanism, user, success);
  }

  /**
   * The public assessment of a connection (RFC 8314 §5): NONE for a socket without TLS, PINNED or
   * VERIFIED for a MailTLS connection, NONE with a reason for anything MailTLS did not decide. Only
   * VERIFIED is ever confidential (R8314-C-10, C-27). On an {@link SSLSocket} this completes the
   * handshake if needed.
   */
  public static ConnectionAssessment assess(Socket socket) {
    if (!(socket instanceof SSLSocket)) {
      return ConnectionAssessment.cleartext();
    }
    return assess(((SSLSocket) socket).getSession());
  }

  /** The assessment of an engine's session (see {@link #assess(Socket)}). */
  public static ConnectionAssessment assess(SSLEngine engine) {
    return assess(engine.getSession());
  }

  /** The assessment of a session (see {@link #assess(Socket)}). */
  public static ConnectionAssessment assess(SSLSession session) {
    Optional<TrustDecision> d = decisionOf(session);
    if (d.isPresent() && d.get() instanceof TrustDecision.Accepted) {
      return ConnectionAssessment.of((TrustDecision.Accepted) d.get());
    }
    String protocol = session.getProtocol();
    return ConnectionAssessment.unknown("NONE".equals(protocol) ? null : protocol,
        "SSL_NULL_WITH_NULL_NULL".equals(session.getCipherSuite()) ? null : session.getCipherSuite());
  }

  /**
   * The guard a mail stack calls before AUTH, LOGIN, PREAUTH continuation or submission: refuses
   * when the connection does not meet the account's minimum confidentiality level (R8314-C-22).
   * Capability discovery and STARTTLS may happen before it; nothing else may.
   *
   * @throws MinimumConfidentialityException naming the level and every shortfall
   */
  public static ConnectionAssessment requireMinimumConfidentiality(Socket socket, AccountPolicy account)
      throws MinimumConfidentialityException {
    ConnectionAssessment a = assess(socket);
    if (!a.meetsMinimumConfidentiality(account)) {
      throw new MinimumConfidentialityException(account.accountId(), a);
    }
    return a;
  }

  /**
   * Finds MailTLS's refusal inside an exception: engines turn a trust-manager exception into a
   * {@code certificate_unknown} alert and bury it causes deep (BCJSSE two levels).
   */
  public static Optional<TrustDecision.Refused> decisionOf(Throwable failure) {
    Deque<Throwable> todo = new ArrayDeque<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    todo.add(failure);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (t == null || seen.put(t, Boolean.TRUE) != null) {
        continue;
      }
      if (t instanceof MailTlsCertificateException) {
        return Optional.of(((MailTlsCertificateException) t).decision());
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      for (Throwable s : t.getSuppressed()) {
        todo.add(s);
      }
    }
    return Optional.empty();
  }

  /** True when {@code socket} comes from a MailTLS context. */
  public static boolean isMailTls(SSLSocket socket) {
    return socket instanceof MailTlsSocket;
  }

  /** True when {@code engine} comes from a MailTLS context. */
  public static boolean isMailTls(SSLEngine engine) {
    return engine instanceof MailTlsEngine;
  }
}
