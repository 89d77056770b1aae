package org.mailtls.provider;

import java.security.KeyManagementException;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.MailTlsPolicy;

/**
 * {@code SSLContext.getInstance("MailTLS")}: an {@link SSLContext} of the chosen engine, initialised
 * with MailTLS's managers, whose sockets, server sockets and engines are all wrapped so the policy
 * floors and the mail identity check apply to every connection.
 *
 * <p>Foreign trust managers are refused: one would silently switch MailTLS's checks off. Foreign key
 * managers are refused too, because one would offer client certificates to any server that asks
 * (R8314-C-33). A client certificate is offered only through the account's binding
 * ({@link AccountKeyManager}).
 */
final class MailTlsContextSpi extends SSLContextSpi {
  private final JsseEngine engine;
  private @Nullable SSLContext delegate;
  private @Nullable PolicyConnectionGuard guard;

  MailTlsContextSpi(JsseEngine engine) {
    this.engine = engine;
  }

  @Override
  protected void engineInit(KeyManager @Nullable [] km, TrustManager @Nullable [] tm, @Nullable SecureRandom random)
      throws KeyManagementException {
    PolicyTrustManager trust = pickTrustManager(tm);
    InMemoryKeyManager keys = pickKeyManager(km);
    X509ExtendedKeyManager offered = keys;
    if (trust.account() != null && trust.account().clientCertificate().isPresent()) {
      if (keys == null) {
        throw new KeyManagementException("account " + trust.account().accountId() + " binds a client certificate,"
            + " but no key managers were given: pass KeyManagerFactory.getInstance(\"MailTLS\") managers over the"
            + " key store that holds it");
      }
      try {
        offered = new AccountKeyManager(keys, trust.account(), trust.registry());
      } catch (IllegalArgumentException e) {
        throw new KeyManagementException(e.getMessage(), e);
      }
    }
    try {
      SSLContext ctx = SSLContext.getInstance("TLS", engine.jsseProvider());
      // BCJSSE needs an explicit SecureRandom (Netty passes null).
      ctx.init(offered == null ? null : new KeyManager[] {offered}, new TrustManager[] {trust},
          random != null ? random : new SecureRandom());
      this.delegate = ctx;
    } catch (NoSuchAlgorithmException e) {
      throw new KeyManagementException("the " + engine + " engine has no TLS SSLContext", e);
    }
    this.guard = new PolicyConnectionGuard(trust.checks(), trust.registry(), keys != null && keys.hasKeys(),
        keys != null && keys.strictSni() && !keys.sniNames().isEmpty() ? ServerNames.matcher(keys.sniNames()) : null);
  }

  private static PolicyTrustManager pickTrustManager(TrustManager @Nullable [] tm) throws KeyManagementException {
    if (tm == null || tm.length == 0) {
      try {
        return MailTlsTrustManagerFactorySpi.create(null, MailTlsPolicy.strict(), null, Clock.systemUTC(), null, null);
      } catch (KeyStoreException e) {
        throw new KeyManagementException("cannot load the JDK's default trust anchors: " + e.getMessage(), e);
      }
    }
    for (TrustManager t : tm) {
      if (!(t instanceof PolicyTrustManager)) {
        throw new KeyManagementException("MailTLS refuses the foreign trust manager " + t.getClass().getName()
            + ": it would switch MailTLS's checks off; use TrustManagerFactory.getInstance(\"MailTLS\")");
      }
    }
    return (PolicyTrustManager) tm[0];
  }

  private static @Nullable InMemoryKeyManager pickKeyManager(KeyManager @Nullable [] km) throws KeyManagementException {
    if (km == null || km.length == 0) {
      return null;
    }
    for (KeyManager k : km) {
      if (!(k instanceof InMemoryKeyManager)) {
        throw new KeyManagementException("MailTLS refuses the foreign key manager " + k.getClass().getName()
            + ": it could offer client certificates to any server; use KeyManagerFactory.getInstance(\"MailTLS\")");
      }
    }
    return (InMemoryKeyManager) km[0];
  }

  private SSLContext delegate() {
    if (delegate == null) {
      throw new IllegalStateException("SSLContext \"MailTLS\" is not initialised: call init(...) first");
    }
    return delegate;
  }

  PolicyConnectionGuard guard() {
    delegate();
    return guard;
  }

  @Override
  protected SSLSocketFactory engineGetSocketFactory() {
    return new MailTlsSocketFactory(delegate().getSocketFactory(), guard());
  }

  @Override
  protected SSLServerSocketFactory engineGetServerSocketFactory() {
    if (!guard().hasServerKey()) {
      throw new IllegalStateException("this MailTLS context has no server certificate: initialise it with key"
          + " managers from KeyManagerFactory.getInstance(\"MailTLS\") over a key store holding the server's key");
    }
    return new MailTlsServerSocketFactory(delegate().getServerSocketFactory(), delegate().getSocketFactory(), guard());
  }

  @Override
  protected SSLEngine engineCreateSSLEngine() {
    SSLEngine inner = delegate().createSSLEngine();
    guard().prepareEngine(inner, null, 0);
    return new MailTlsEngine(inner, guard());
  }

  @Override
  protected SSLEngine engineCreateSSLEngine(String host, int port) {
    SSLEngine inner = delegate().createSSLEngine(host, port);
    guard().prepareEngine(inner, host, port);
    return new MailTlsEngine(inner, guard());
  }

  @Override
  protected SSLSessionContext engineGetServerSessionContext() {
    return delegate().getServerSessionContext();
  }

  @Override
  protected SSLSessionContext engineGetClientSessionContext() {
    return delegate().getClientSessionContext();
  }

  @Override
  protected SSLParameters engineGetDefaultSSLParameters() {
    SSLParameters d = delegate().getDefaultSSLParameters();
    return guard().parameters().base(d, d.getProtocols(), delegate().getSupportedSSLParameters().getCipherSuites(), null);
  }

  @Override
  protected SSLParameters engineGetSupportedSSLParameters() {
    SSLParameters s = delegate().getSupportedSSLParameters();
    return guard().parameters().base(s, s.getProtocols(), s.getCipherSuites(), null);
  }
}
