package org.mailtls.provider;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.TrustDecision;

/**
 * MailTLS's {@link X509ExtendedTrustManager}: PKIX by MailTLS itself, then the chain floors on the
 * path actually built, then the RFC 7817 / RFC 9525 identity check against reference identities
 * from the account (or from the host the connection was opened to), all inside the handshake so a
 * refusal fails the handshake (house style §9.9).
 *
 * <p>It works whatever endpoint-identification algorithm the caller set ("LDAPS", "HTTPS", none),
 * because it never delegates name checks to the engine. The two-argument methods, which carry no
 * socket or engine and so no reference host, always refuse (fail closed).
 */
final class PolicyTrustManager extends X509ExtendedTrustManager {
  private final TrustChecks checks;
  private final ConnectionRegistry registry;

  PolicyTrustManager(TrustChecks checks, ConnectionRegistry registry) {
    this.checks = checks;
    this.registry = registry;
  }

  MailTlsPolicy policy() {
    return checks.policy();
  }

  TrustChecks checks() {
    return checks;
  }

  @Nullable AccountPolicy account() {
    return checks.account();
  }

  ConnectionRegistry registry() {
    return registry;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    Socket s = unwrap(socket);
    check(chain, authType, s == null ? null : registry.find(s), handshakeSession(s), true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    SSLEngine e = unwrap(engine);
    check(chain, authType, e == null ? null : registry.find(e), e == null ? null : e.getHandshakeSession(), true);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    Socket s = unwrap(socket);
    check(chain, authType, s == null ? null : registry.find(s), handshakeSession(s), false);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    SSLEngine e = unwrap(engine);
    check(chain, authType, e == null ? null : registry.find(e), e == null ? null : e.getHandshakeSession(), false);
  }

  /** Engines pass their own inner object; a caller may pass MailTLS's wrapper, which maps to it. */
  private static @Nullable Socket unwrap(@Nullable Socket socket) {
    return socket instanceof MailTlsSocket ? ((MailTlsSocket) socket).inner() : socket;
  }

  private static @Nullable SSLEngine unwrap(@Nullable SSLEngine engine) {
    return engine instanceof MailTlsEngine ? ((MailTlsEngine) engine).inner() : engine;
  }

  private static @Nullable SSLSession handshakeSession(@Nullable Socket socket) {
    return socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null;
  }

  /** Always refuses: without a socket or engine there is no reference host and no session (fail closed). */
  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, authType, null, null, true);
  }

  /** Always refuses, like {@link #checkServerTrusted(X509Certificate[], String)}. */
  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain, authType, null, null, false);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return checks.anchors().stream().map(TrustAnchor::getTrustedCert).filter(c -> c != null).toArray(X509Certificate[]::new);
  }

  private void check(X509Certificate[] chain, String authType, @Nullable ConnectionContext ctx, @Nullable SSLSession hs,
      boolean server) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new IllegalArgumentException("empty certificate chain (X509TrustManager contract)");
    }
    if (authType == null || authType.isEmpty()) {
      throw new IllegalArgumentException("empty authType (X509TrustManager contract)");
    }
    List<X509Certificate> certs = Arrays.asList(chain.clone());
    TrustDecision decision = server ? checks.checkServer(certs, ctx, hs) : checks.checkClient(certs, ctx, hs);
    if (ctx != null) {
      ctx.decided(decision);
      if (hs != null) {
        registry.linkSession(hs, ctx);
      }
    }
    if (hs != null) {
      SessionDecisions.record(hs, decision);
    }
    if (decision instanceof TrustDecision.Refused) {
      TrustDecision.Refused r = (TrustDecision.Refused) decision;
      String peer = !server ? TrustChecks.clientPeer(hs) : ctx == null ? "(unknown)" : ctx.peer();
      HandshakeLog.refused(ctx == null ? 0 : ctx.id(), server, peer, hs, r);
      throw new MailTlsCertificateException(r);
    }
  }
}
