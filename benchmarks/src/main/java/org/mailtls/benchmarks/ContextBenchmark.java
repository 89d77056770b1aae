package org.mailtls.benchmarks;

import java.security.KeyStore;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.identity.MailService;
import org.mailtls.provider.MailTls;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an account's context and each connection's engine cost before any handshake.
 *
 * <ul>
 *   <li>{@link #newAccountContext}: {@code TrustManagerFactory} + {@code SSLContext} creation and
 *       {@code init} for one account: MailTLS with {@code MailTlsParameters} (trust store + {@code
 *       AccountPolicy}); the raw engines with their PKIX trust manager over the same trust store.
 *       Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the allocation per context (the
 *       memory a context keeps is measured by {@link ContextFootprint}).
 *   <li>{@link #newClientEngine}: {@code createSSLEngine(host, port)} with the policy applied: by
 *       MailTLS itself, or by hand for the raw engines (protocols, suites, "HTTPS", SNI).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class ContextBenchmark {
  static final int PORT = 993;

  @Param({"MAILTLS_BCJSSE", "MAILTLS_SUNJSSE", "RAW_BCJSSE_BCPROV", "RAW_BCJSSE_JCA", "RAW_SUNJSSE"})
  public String variant;

  private Variant v;
  private KeyStore trustStore;
  private AccountPolicy account;
  private SSLContext accountContext;
  private String[] protocols;
  private String[] suites;

  /** The account every context is made for: one IMAPS endpoint, the default minimum confidentiality level. */
  static AccountPolicy account() {
    return AccountPolicy.builder("alice")
        .emailAddress("alice@example.com")
        .addEndpoint(MailEndpoint.of(Fixtures.HOST, MailService.IMAPS))
        .build();
  }

  @Setup(Level.Trial)
  public void setup() throws Exception {
    v = Variant.valueOf(variant);
    Fixtures f = Fixtures.of("EC_P256");
    trustStore = f.trustStore();
    account = account();
    accountContext = v.accountContext(trustStore, account);
    MailTlsPolicy policy = MailTlsPolicy.strict();
    protocols = policy.protocolNames();
    Set<String> supported = new HashSet<>(Arrays.asList(accountContext.getSupportedSSLParameters().getCipherSuites()));
    suites = policy.cipherSuites().stream().filter(supported::contains).toArray(String[]::new);
    String label = "ContextBenchmark " + variant;
    Sanity.check(suites.length > 0, label + ": the engine supports none of the policy's suites");
    SSLEngine e = v.policyClientEngine(accountContext, Fixtures.HOST, PORT, protocols, suites);
    Sanity.check(MailTls.isMailTls(e) == v.isMailTls(), label + ": wrong engine type " + e.getClass().getName());
    // The account context really connects (and, for MailTLS, verifies the account's endpoint identity).
    Sanity.Outcome o = Sanity.handshake(label, v, accountContext, v.serverContext(f, f.leaf), Fixtures.HOST, PORT,
        "TLSv1.3", "TLS_AES_128_GCM_SHA256");
    Sanity.report(label + ": account context connects (" + o.wire() + "); raw policy by hand: "
        + String.join(",", protocols) + ", " + suites.length + " suites");
  }

  @Benchmark
  public SSLContext newAccountContext() throws Exception {
    return v.accountContext(trustStore, account);
  }

  @Benchmark
  public SSLEngine newClientEngine() {
    return v.policyClientEngine(accountContext, Fixtures.HOST, PORT, protocols, suites);
  }
}
