package org.mailtls.provider;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * The JSSE implementation MailTLS runs over. MailTLS never changes the engine's global
 * configuration; it only uses the engine's {@code SSLContext} through a private provider instance.
 */
public enum JsseEngine {
  /**
   * BouncyCastle JSSE 1.84 over the BouncyCastle JCA provider (the default). Over bcprov the P-256
   * handshake costs about 0.7 of SunJSSE's on JDK 17, and TLS 1.3 with RSA certificates works,
   * which BCJSSE over the JDK's crypto cannot do (../shared/research/engine-performance.md).
   * Named groups and signature schemes are set per connection through {@code BCSSLParameters}.
   */
  BCJSSE {
    @Override
    Provider jsseProvider() {
      return Holder.BC_JSSE;
    }
  },
  /**
   * The JDK's SunJSSE. On JDK 17 its named groups and signature schemes cannot be set per
   * connection (JDK 19/20 added the {@code SSLParameters} methods, which MailTLS uses when present);
   * versions and suites are enforced on every engine.
   */
  SUNJSSE {
    @Override
    Provider jsseProvider() {
      Provider p = java.security.Security.getProvider("SunJSSE");
      if (p == null) {
        throw new IllegalStateException("the SunJSSE provider is not installed in this JVM");
      }
      return p;
    }
  };

  abstract Provider jsseProvider();

  /** Parses a configuration word ("BCJSSE", "SunJSSE"), case-insensitively. */
  public static JsseEngine parse(String name) {
    for (JsseEngine e : values()) {
      if (e.name().equalsIgnoreCase(name.trim())) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown JSSE engine \"" + name + "\"; use BCJSSE or SunJSSE");
  }

  /** Lazily built, private BouncyCastle providers: never added to {@code java.security.Security}. */
  private static final class Holder {
    /**
     * BCJSSE logs INFO lines per connection (and warnings about JDK property syntax it does not
     * parse) through java.util.logging. MailTLS is quiet by default: unless the application
     * configured that logger itself, only SEVERE records pass. The reference keeps the level alive.
     */
    static final java.util.logging.Logger BC_JSSE_LOGGER = quiet("org.bouncycastle.jsse");

    static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final BouncyCastleJsseProvider BC_JSSE = new BouncyCastleJsseProvider(BC);

    private static java.util.logging.Logger quiet(String name) {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
      if (logger.getLevel() == null) {
        logger.setLevel(java.util.logging.Level.SEVERE);
      }
      return logger;
    }
  }
}
