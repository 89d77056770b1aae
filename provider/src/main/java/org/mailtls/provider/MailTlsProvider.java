package org.mailtls.provider;

import java.security.Provider;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code java.security.Provider} named {@value #NAME}, offering {@code SSLContext},
 * {@code TrustManagerFactory} and {@code KeyManagerFactory} under the algorithm name {@value
 * #ALGORITHM}.
 *
 * <p>Install it with {@code Security.addProvider(new MailTlsProvider())}, list it in {@code
 * java.security} as {@code security.provider.N=MailTLS} (found through {@code
 * META-INF/services/java.security.Provider}; {@code security.provider.N=MailTLS SunJSSE} selects
 * the engine), or pass an instance to {@code SSLContext.getInstance("MailTLS", provider)}.
 *
 * <p>Services are created by factories, not by reflection over class names (the BouncyCastle
 * pattern), so the SPI classes stay package-private; registering a service twice throws. The
 * provider registers no {@code SSLContext.Default} and no "TLS" alias: a default context cannot
 * carry an account, and a "TLS" alias would capture every other TLS user of the JVM. {@link
 * #withTlsAlias()} makes a separate instance with that alias for libraries that can only ask for
 * "TLS" from a given provider object (Netty's {@code SslContextBuilder.sslContextProvider}).
 */
public final class MailTlsProvider extends Provider {
  private static final long serialVersionUID = 1L;

  /** The provider name. */
  public static final String NAME = "MailTLS";

  /** The algorithm name of every MailTLS service. */
  public static final String ALGORITHM = "MailTLS";

  private static final String VERSION = "0.1";

  private final JsseEngine engine;

  /** A provider over the default engine, {@link JsseEngine#BCJSSE}. */
  public MailTlsProvider() {
    this(JsseEngine.BCJSSE, false);
  }

  /** A provider over the given engine. */
  public MailTlsProvider(JsseEngine engine) {
    this(engine, false);
  }

  private MailTlsProvider(JsseEngine engine, boolean tlsAlias) {
    super(NAME, VERSION, "MailTLS: RFC 8314 / RFC 7817 TLS policy for mail, over " + engine);
    this.engine = engine;
    register("SSLContext", ALGORITHM, tlsAlias ? List.of("TLS") : List.of(), () -> new MailTlsContextSpi(engine));
    register("TrustManagerFactory", ALGORITHM, List.of(), MailTlsTrustManagerFactorySpi::new);
    register("KeyManagerFactory", ALGORITHM, List.of(), MailTlsKeyManagerFactorySpi::new);
  }

  /** The engine this provider runs over. */
  public JsseEngine engine() {
    return engine;
  }

  /**
   * A separate provider object whose {@code SSLContext} also answers to "TLS". Hand it only to code
   * that asks a given provider object for "TLS"; never install it in {@code java.security}.
   */
  public MailTlsProvider withTlsAlias() {
    return new MailTlsProvider(engine, true);
  }

  /**
   * Selects the engine from a {@code java.security} line such as {@code security.provider.9=MailTLS
   * SunJSSE}.
   */
  @Override
  public Provider configure(String configArg) {
    return new MailTlsProvider(JsseEngine.parse(configArg));
  }

  @Override
  public boolean isConfigured() {
    return true;
  }

  private void register(String type, String algorithm, List<String> aliases, Supplier<Object> factory) {
    if (getService(type, algorithm) != null) {
      throw new IllegalStateException(type + "." + algorithm + " is already registered");
    }
    putService(new FactoryService(this, type, algorithm, aliases, factory));
  }

  /** A service whose instances come from a factory, never from reflection. */
  private static final class FactoryService extends Provider.Service {
    private final transient Supplier<Object> factory;

    FactoryService(Provider provider, String type, String algorithm, List<String> aliases, Supplier<Object> factory) {
      super(provider, type, algorithm, factory.getClass().getName(), aliases, null);
      this.factory = factory;
    }

    @Override
    public Object newInstance(Object constructorParameter) {
      return factory.get();
    }
  }
}
