package org.mailtls.benchmarks;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTlsParameters;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.testing.HeldCertificate;

/**
 * The five ways a benchmark connects: MailTLS over each engine, and the raw engines configured by
 * hand to the same job (same certificates and trust anchor, identity checked: endpoint
 * identification "HTTPS" plus SNI for the raw clients, MailTLS's own mail identity check for MailTLS
 * clients).
 *
 * <ul>
 *   <li>Clients: MailTLS through {@code TrustManagerFactory/SSLContext.getInstance("MailTLS", p)};
 *       raw through the engine's own {@code TrustManagerFactory("PKIX")} over the trust store.
 *   <li>Servers: MailTLS of the same engine with {@code KeyManagerFactory("MailTLS")} (keys held in
 *       memory); raw engines with {@link InMemoryServerKeyManager}, which holds the key in memory too.
 * </ul>
 */
enum Variant {
  /** MailTLS over BCJSSE over a private bcprov (MailTLS's default). Wraps {@link #RAW_BCJSSE_BCPROV}. */
  MAILTLS_BCJSSE(JsseEngine.BCJSSE, Backend.BCPROV),
  /** MailTLS over SunJSSE. Wraps {@link #RAW_SUNJSSE}. */
  MAILTLS_SUNJSSE(JsseEngine.SUNJSSE, Backend.JDK),
  /** BCJSSE over a private {@code new BouncyCastleProvider()} (never registered). */
  RAW_BCJSSE_BCPROV(null, Backend.BCPROV),
  /** BCJSSE over the JDK's JCA providers (SunEC, SunJCE, SUN); needs an explicit SecureRandom. */
  RAW_BCJSSE_JCA(null, Backend.JDK),
  /** The JDK's SunJSSE. */
  RAW_SUNJSSE(null, Backend.JDK);

  /** Whose crypto does the work: decides which crypto-floor figures a variant is compared with. */
  enum Backend { JDK, BCPROV }

  /**
   * BCJSSE logs two INFO records per connection through java.util.logging. MailTLS quiets the logger
   * (SEVERE) unless the application configured it; the raw variants get the same treatment here, so
   * no variant pays for console output. The static reference keeps the level alive.
   */
  private static final Logger BC_JSSE_LOGGER = Logger.getLogger("org.bouncycastle.jsse");

  /**
   * MailTLS servers log one INFO cipher record per handshake (RFC 8314 §4), through System.Logger
   * (java.util.logging by default, whose console handler writes to stderr). The benchmarks keep
   * the record: the logger stays at INFO, so MailTLS renders the line and JUL builds the LogRecord,
   * but the sink discards it ({@link #CIPHER_LOG_RECORDS} counts them for the sanity checks).
   * Writing the line somewhere is the deployment's cost, not the handshake's; with JUL's default
   * console sink, see docs/performance.md for what the console costs.
   */
  private static final Logger MAILTLS_HANDSHAKE_LOGGER = Logger.getLogger("org.mailtls.handshake");

  static final java.util.concurrent.atomic.LongAdder CIPHER_LOG_RECORDS = new java.util.concurrent.atomic.LongAdder();

  /** {@code -Dmailtls.bench.consoleLog=true}: leave the cipher log on JUL's console, to measure what it costs. */
  static final boolean CONSOLE_LOG = Boolean.getBoolean("mailtls.bench.consoleLog");

  static {
    BC_JSSE_LOGGER.setLevel(Level.SEVERE);
    MAILTLS_HANDSHAKE_LOGGER.setLevel(Level.INFO);
    if (!CONSOLE_LOG) {
      sinkCipherLog();
    }
  }

  private static void sinkCipherLog() {
    MAILTLS_HANDSHAKE_LOGGER.setUseParentHandlers(false);
    MAILTLS_HANDSHAKE_LOGGER.addHandler(new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        CIPHER_LOG_RECORDS.increment();
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  private final JsseEngine mailTlsEngine;
  private final Backend backend;

  Variant(JsseEngine mailTlsEngine, Backend backend) {
    this.mailTlsEngine = mailTlsEngine;
    this.backend = backend;
  }

  boolean isMailTls() {
    return mailTlsEngine != null;
  }

  Backend backend() {
    return backend;
  }

  /** The raw variant a MailTLS variant wraps; a raw variant is its own baseline. */
  Variant wraps() {
    switch (this) {
      case MAILTLS_BCJSSE:
        return RAW_BCJSSE_BCPROV;
      case MAILTLS_SUNJSSE:
        return RAW_SUNJSSE;
      default:
        return this;
    }
  }

  /**
   * Refuses the one combination the engines cannot do: BCJSSE over JDK crypto advertises no RSA-PSS
   * signature schemes, so a TLS 1.3 server with an RSA certificate finds no usable credential
   * (../shared/research/engine-performance.md, finding 3). run.sh leaves it out of the matrix.
   */
  static void checkSupported(Variant variant, String protocol, String key) {
    if (variant == RAW_BCJSSE_JCA && "TLSv1.3".equals(protocol) && "RSA_2048".equals(key)) {
      throw new UnsupportedOperationException("SKIPPED: RAW_BCJSSE_JCA + TLSv1.3 + RSA_2048 cannot handshake: BCJSSE"
          + " over JDK crypto offers no RSA-PSS signature schemes, so TLS 1.3 with an RSA certificate fails with"
          + " handshake_failure. Leave it out with -p (run.sh does); see docs/performance.md");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Providers

  /** Private provider instances, made once per JVM; never added to java.security.Security. */
  private static final class Providers {
    static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final Provider BCJSSE_BCPROV = new BouncyCastleJsseProvider(BC);
    static final Provider BCJSSE_JCA = new BouncyCastleJsseProvider();
  }

  /** One MailTLS provider object per MailTLS variant (applications make one and keep it). */
  private static final class MailTlsProviders {
    static final MailTlsProvider BCJSSE = new MailTlsProvider(JsseEngine.BCJSSE);
    static final MailTlsProvider SUNJSSE = new MailTlsProvider(JsseEngine.SUNJSSE);
  }

  /** The private bcprov instance of the raw BCJSSE variant (the crypto floor uses its own). */
  static Provider bcprov() {
    return Providers.BC;
  }

  private MailTlsProvider mailTlsProvider() {
    return mailTlsEngine == JsseEngine.BCJSSE ? MailTlsProviders.BCJSSE : MailTlsProviders.SUNJSSE;
  }

  private Provider rawProvider() {
    switch (this) {
      case RAW_BCJSSE_BCPROV:
        return Providers.BCJSSE_BCPROV;
      case RAW_BCJSSE_JCA:
        return Providers.BCJSSE_JCA;
      case RAW_SUNJSSE:
        Provider p = Security.getProvider("SunJSSE");
        if (p == null) {
          throw new IllegalStateException("SunJSSE is not installed in this JVM");
        }
        return p;
      default:
        throw new IllegalStateException(this + " is not a raw variant");
    }
  }

  /** BCJSSE over JDK crypto cannot find a DEFAULT SecureRandom by itself; the others use their default. */
  private SecureRandom rawRandom() {
    return this == RAW_BCJSSE_JCA ? new SecureRandom() : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Contexts

  /** A client context trusting the fixtures' root; MailTLS without an account (identity from the host). */
  SSLContext clientContext(Fixtures f) throws GeneralSecurityException {
    if (isMailTls()) {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", mailTlsProvider());
      tmf.init(f.trustStore());
      SSLContext ctx = SSLContext.getInstance("MailTLS", mailTlsProvider());
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    }
    SSLContext ctx = SSLContext.getInstance("TLS", rawProvider());
    ctx.init(null, rawTrustManagers(f.trustStore()), rawRandom());
    return ctx;
  }

  /**
   * A client context for one account (ContextBenchmark): MailTLS with {@link MailTlsParameters}
   * carrying the account; raw variants have no accounts, so they get their plain client context.
   */
  SSLContext accountContext(KeyStore trustStore, AccountPolicy account) throws GeneralSecurityException {
    if (isMailTls()) {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", mailTlsProvider());
      tmf.init(MailTlsParameters.builder().trustStore(trustStore).account(account).build());
      SSLContext ctx = SSLContext.getInstance("MailTLS", mailTlsProvider());
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    }
    SSLContext ctx = SSLContext.getInstance("TLS", rawProvider());
    ctx.init(null, rawTrustManagers(trustStore), rawRandom());
    return ctx;
  }

  /** A server context serving {@code leaf}: MailTLS of the same engine, or the raw engine with an in-memory key. */
  SSLContext serverContext(Fixtures f, HeldCertificate leaf) throws GeneralSecurityException {
    if (isMailTls()) {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", mailTlsProvider());
      kmf.init(org.mailtls.testing.TestPki.keyStore(leaf, Fixtures.PASSWORD), Fixtures.PASSWORD);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", mailTlsProvider());
      tmf.init(f.trustStore());
      SSLContext ctx = SSLContext.getInstance("MailTLS", mailTlsProvider());
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    }
    return rawServerContext(f, new InMemoryServerKeyManager(leaf.privateKey(), Fixtures.sentChain(leaf)));
  }

  /** A raw server context of this variant's engine with the given key manager. */
  SSLContext rawServerContext(Fixtures f, KeyManager km) throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS", wraps().rawProvider());
    ctx.init(new KeyManager[] {km}, wraps().rawTrustManagers(f.trustStore()), wraps().rawRandom());
    return ctx;
  }

  private TrustManager[] rawTrustManagers(KeyStore trustStore) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", rawProvider());
    tmf.init(trustStore);
    return tmf.getTrustManagers();
  }

  // ---------------------------------------------------------------------------------------------
  // Engines (per connection; part of what the handshake benchmarks measure)

  /**
   * A client engine for {@code host:port} limited to one protocol and one suite. Raw clients also get
   * endpoint identification "HTTPS" and SNI; MailTLS sets SNI and checks the mail identity itself.
   */
  SSLEngine clientEngine(SSLContext ctx, String host, int port, String protocol, String suite) {
    SSLEngine e = ctx.createSSLEngine(host, port);
    e.setUseClientMode(true);
    SSLParameters p = e.getSSLParameters();
    p.setProtocols(new String[] {protocol});
    p.setCipherSuites(new String[] {suite});
    if (!isMailTls()) {
      p.setEndpointIdentificationAlgorithm("HTTPS");
      p.setServerNames(List.of(new SNIHostName(host)));
    }
    e.setSSLParameters(p);
    return e;
  }

  /**
   * A client engine with the connection policy applied, as an application would do it per
   * connection (ContextBenchmark): MailTLS applies its policy inside {@code createSSLEngine}; a raw
   * engine gets by hand the same protocols and suites (precomputed arrays), endpoint identification
   * "HTTPS" and SNI.
   */
  SSLEngine policyClientEngine(SSLContext ctx, String host, int port, String[] protocols, String[] suites) {
    SSLEngine e = ctx.createSSLEngine(host, port);
    e.setUseClientMode(true);
    if (!isMailTls()) {
      SSLParameters p = e.getSSLParameters();
      p.setProtocols(protocols);
      p.setCipherSuites(suites);
      p.setEndpointIdentificationAlgorithm("HTTPS");
      p.setServerNames(List.of(new SNIHostName(host)));
      e.setSSLParameters(p);
    }
    return e;
  }

  /** A server engine limited to one protocol and one suite. */
  static SSLEngine serverEngine(SSLContext ctx, String protocol, String suite) {
    SSLEngine e = ctx.createSSLEngine();
    e.setUseClientMode(false);
    SSLParameters p = e.getSSLParameters();
    p.setProtocols(new String[] {protocol});
    p.setCipherSuites(new String[] {suite});
    e.setSSLParameters(p);
    return e;
  }
}
