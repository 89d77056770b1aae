package org.mailtls.testing;

import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** Builds SSLContexts and engines over a {@link TestPki} for the SslEnginePair tests. */
final class Tls {
  static final char[] PASSWORD = "test".toCharArray();
  static final String HOST = "mail.example.net";

  private Tls() {}

  /**
   * A context with {@code keyStore} (may be null) as key material and {@code trustStore} as
   * trust; {@code jsse} null means the JDK default (SunJSSE).
   */
  static SSLContext context(Provider jsse, String kmfAlgorithm, KeyStore keyStore,
      KeyStore trustStore) throws Exception {
    KeyManagerFactory kmf = jsse == null ? KeyManagerFactory.getInstance(kmfAlgorithm)
        : KeyManagerFactory.getInstance(kmfAlgorithm, jsse);
    kmf.init(keyStore, PASSWORD);
    TrustManagerFactory tmf = jsse == null ? TrustManagerFactory.getInstance("PKIX")
        : TrustManagerFactory.getInstance("PKIX", jsse);
    tmf.init(trustStore);
    SSLContext context = jsse == null ? SSLContext.getInstance("TLS")
        : SSLContext.getInstance("TLS", jsse);
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
    return context;
  }

  /** A client engine for {@link #HOST} with HTTPS endpoint identification. */
  static SSLEngine client(SSLContext context, String... protocols) {
    SSLEngine engine = context.createSSLEngine(HOST, 465);
    engine.setUseClientMode(true);
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    params.setProtocols(protocols);
    engine.setSSLParameters(params);
    return engine;
  }

  /** A server engine. */
  static SSLEngine server(SSLContext context, String... protocols) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(protocols);
    return engine;
  }

  /** A leaf for {@link #HOST} and its server key store. */
  static KeyStore serverKeyStore(TestPki pki, KeyType keyType) {
    return TestPki.keyStore(pki.leaf().keyType(keyType).addDnsName(HOST).build(), PASSWORD);
  }
}
