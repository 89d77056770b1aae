package org.mailtls.provider;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.TrustDecision;

/**
 * Cipher logging (RFC 8314 §4, R8314-S-11): one structured record per handshake and per
 * authentication, through the JDK's {@link System.Logger} so applications route it to their
 * logging stack. Records are {@code key=value} pairs (values quoted when they contain spaces); no
 * secrets and no certificates, only subjects, identities and negotiated parameters.
 *
 * <p>Logger names: {@value #HANDSHAKE_LOGGER} and {@value #AUTH_LOGGER}. A server's records are
 * INFO (WARNING for a refused client certificate), as RFC 8314 §4 asks of servers; a client's are
 * DEBUG, so a mail client stays quiet on the console by default (its refusals reach the
 * application as exceptions anyway).
 */
final class HandshakeLog {
  static final String HANDSHAKE_LOGGER = "org.mailtls.handshake";
  static final String AUTH_LOGGER = "org.mailtls.auth";
  private static final System.Logger HANDSHAKES = System.getLogger(HANDSHAKE_LOGGER);
  private static final System.Logger AUTHS = System.getLogger(AUTH_LOGGER);
  private static final AtomicLong IDS = new AtomicLong();
  static final String ID_KEY = "org.mailtls.connection-id";

  private HandshakeLog() {}

  /** A new connection id, unique in this JVM. */
  static long nextId() {
    return IDS.incrementAndGet();
  }

  /** Logs a finished handshake. */
  static void handshake(long id, boolean client, String peer, SSLSession session, @Nullable TrustDecision d,
      @Nullable String group, boolean clientCertificatePossible) {
    System.Logger.Level level = client ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
    if (!HANDSHAKES.isLoggable(level)) {
      return;
    }
    Map<String, String> f = base(id, client, peer, session, group);
    if (d instanceof TrustDecision.Accepted) {
      TrustDecision.Accepted a = (TrustDecision.Accepted) d;
      f.put("level", a.level().name());
      a.validatedIdentity().ifPresent(m -> f.put("identity", m.reference().toString()));
      a.saslExternalIdentity().ifPresent(i -> f.put("clientIdentity", i));
    }
    if (!client) {
      f.put("clientSubject", clientCertificatePossible ? clientSubject(session) : "none");
    }
    f.put("result", "ok");
    HANDSHAKES.log(level, render("tls handshake", f));
  }

  /** Logs a refusal by MailTLS's trust manager. */
  static void refused(long id, boolean client, String peer, @Nullable SSLSession session, TrustDecision.Refused d) {
    System.Logger.Level level = client ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING;
    if (!HANDSHAKES.isLoggable(level)) {
      return;
    }
    Map<String, String> f = session == null ? new LinkedHashMap<>() : base(id, client, peer, session, null);
    f.putIfAbsent("conn", Long.toString(id));
    f.putIfAbsent("role", client ? "client" : "server");
    f.putIfAbsent("peer", peer);
    f.put("result", "refused");
    f.put("rule", d.rule());
    f.put("reason", firstLine(d.reason()));
    HANDSHAKES.log(level, render("tls handshake", f));
  }

  /** Logs an authentication attempt on a connection (the session may be null for cleartext). */
  static void authentication(@Nullable SSLSession session, String peer, String mechanism, String user,
      boolean success) {
    Map<String, String> f = new LinkedHashMap<>();
    Object id = session == null ? null : session.getValue(ID_KEY);
    f.put("conn", id == null ? "-" : id.toString());
    f.put("peer", peer);
    f.put("tls", session == null ? "none" : session.getProtocol() + " " + session.getCipherSuite());
    String group = session == null ? null : SessionDecisions.findGroup(session);
    if (group != null) {
      f.put("group", group);
    }
    f.put("mechanism", mechanism);
    f.put("user", user);
    f.put("result", success ? "ok" : "failed");
    AUTHS.log(System.Logger.Level.INFO, render("authentication", f));
  }

  private static Map<String, String> base(long id, boolean client, String peer, SSLSession session,
      @Nullable String group) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("conn", Long.toString(id));
    f.put("role", client ? "client" : "server");
    f.put("peer", peer);
    String sni = sni(session);
    if (sni != null) {
      f.put("sni", sni);
    }
    f.put("version", session.getProtocol());
    f.put("suite", session.getCipherSuite());
    if (group != null) {
      f.put("group", group);
    }
    return f;
  }

  private static @Nullable String sni(SSLSession session) {
    if (!(session instanceof ExtendedSSLSession)) {
      return null;
    }
    try {
      List<SNIServerName> names = ((ExtendedSSLSession) session).getRequestedServerNames();
      for (SNIServerName n : names) {
        if (n instanceof SNIHostName) {
          return ((SNIHostName) n).getAsciiName();
        }
      }
    } catch (RuntimeException e) {
      // BCJSSE's finished server sessions throw UnsupportedOperationException here.
    }
    return null;
  }

  private static String clientSubject(SSLSession session) {
    try {
      Principal p = session.getPeerPrincipal();
      return p.getName();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return "none";
    }
  }

  /**
   * {@code event k=v k="v w"}; quotes and backslashes in values are escaped, control characters
   * become {@code ?}. A plain loop: this runs once per server handshake (no regular expressions).
   */
  static String render(String event, Map<String, String> fields) {
    StringBuilder sb = new StringBuilder(event.length() + 24 * fields.size()).append(event);
    for (Map.Entry<String, String> e : fields.entrySet()) {
      sb.append(' ').append(e.getKey()).append('=');
      String v = e.getValue();
      boolean quote = v.isEmpty();
      for (int i = 0; i < v.length() && !quote; i++) {
        char c = v.charAt(i);
        quote = c == ' ' || c == '"' || c == '\\' || c == '=';
      }
      if (quote) {
        sb.append('"');
      }
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (Character.isISOControl(c)) {
          sb.append('?');
        } else if (quote && (c == '"' || c == '\\')) {
          sb.append('\\').append(c);
        } else {
          sb.append(c);
        }
      }
      if (quote) {
        sb.append('"');
      }
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
