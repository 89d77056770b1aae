package org.mailtls.policy.tls;

import java.util.Optional;

/**
 * TLS protocol versions with their JSSE names and wire code points. Compare with {@link
 * #isAtLeast}, which uses the code point, never the declaration order (house style §9.8).
 */
public enum TlsVersion {
  SSL_3("SSLv3", 0x0300),
  TLS_1_0("TLSv1", 0x0301),
  TLS_1_1("TLSv1.1", 0x0302),
  TLS_1_2("TLSv1.2", 0x0303),
  TLS_1_3("TLSv1.3", 0x0304);

  private final String jsseName;
  private final int codePoint;

  TlsVersion(String jsseName, int codePoint) {
    this.jsseName = jsseName;
    this.codePoint = codePoint;
  }

  /** The name JSSE uses in {@code setEnabledProtocols} and {@code SSLSession.getProtocol()}. */
  public String jsseName() {
    return jsseName;
  }

  /** The {major, minor} wire value, e.g. 0x0303 for TLS 1.2. */
  public int codePoint() {
    return codePoint;
  }

  /** True when this version is {@code other} or newer. */
  public boolean isAtLeast(TlsVersion other) {
    return codePoint >= other.codePoint;
  }

  /** Maps a JSSE protocol name; empty for names that are not a TLS version (e.g. "SSLv2Hello"). */
  public static Optional<TlsVersion> fromJsseName(String name) {
    for (TlsVersion v : values()) {
      if (v.jsseName.equals(name)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
