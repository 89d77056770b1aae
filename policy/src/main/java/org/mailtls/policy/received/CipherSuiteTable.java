package org.mailtls.policy.received;

import com.google.common.collect.ImmutableBiMap;
import com.google.common.collect.ImmutableMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The cipher-suite names and code points MailTLS knows, for the Received {@code tls} clause (RFC
 * 8314 §4.3): IANA name to code point, and the JSSE names that differ from the IANA names.
 *
 * <p>Why a table at all: RFC 8314 §4.3 wants the registered IANA name, and the {@code 0x} + 4 hex
 * digit form only when the name is not known. JSSE reports IANA names for the standard suites, but
 * keeps the SSL 3.0 era {@code SSL_} spellings for the oldest ones, and a few JSSE suites have no
 * IANA name at all (Netscape's FIPS suites in the range IANA reserves to avoid conflicts, the
 * expired EXPORT1024 drafts). A name is written only when it is in {@link #IANA}; otherwise the code
 * point, and a suite whose code point is unknown is refused: a name is never invented.
 *
 * <p>Provenance: every IANA row was checked against BouncyCastle 1.84's {@code
 * org.bouncycastle.tls.CipherSuite} constants (IANA spellings) and, where JDK 17 implements the
 * suite, against the ids in {@code sun.security.ssl.CipherSuite}; every legacy row is a JDK 17
 * {@code SSL_}/{@code NETSCAPE_} name with its id from that enum. The table covers the suites
 * MailTLS allows ({@code org.mailtls.policy.tls.CipherSuites.ALLOWED}) and the common others; it is
 * not the whole IANA registry, which keeps growing.
 */
final class CipherSuiteTable {
  /** IANA "TLS Cipher Suites" registry names by code point (a subset). */
  static final ImmutableBiMap<Integer, String> IANA = ImmutableBiMap.ofEntries(
      entry(0x0000, "TLS_NULL_WITH_NULL_NULL"),
      entry(0x0001, "TLS_RSA_WITH_NULL_MD5"),
      entry(0x0002, "TLS_RSA_WITH_NULL_SHA"),
      entry(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"),
      entry(0x0004, "TLS_RSA_WITH_RC4_128_MD5"),
      entry(0x0005, "TLS_RSA_WITH_RC4_128_SHA"),
      entry(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"),
      entry(0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA"),
      entry(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"),
      entry(0x0009, "TLS_RSA_WITH_DES_CBC_SHA"),
      entry(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
      entry(0x000B, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA"),
      entry(0x000C, "TLS_DH_DSS_WITH_DES_CBC_SHA"),
      entry(0x000D, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA"),
      entry(0x000E, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA"),
      entry(0x000F, "TLS_DH_RSA_WITH_DES_CBC_SHA"),
      entry(0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA"),
      entry(0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA"),
      entry(0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA"),
      entry(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"),
      entry(0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"),
      entry(0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"),
      entry(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"),
      entry(0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5"),
      entry(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"),
      entry(0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA"),
      entry(0x001A, "TLS_DH_anon_WITH_DES_CBC_SHA"),
      entry(0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"),
      entry(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"),
      entry(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"),
      entry(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
      entry(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"),
      entry(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"),
      entry(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"),
      entry(0x003B, "TLS_RSA_WITH_NULL_SHA256"),
      entry(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256"),
      entry(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256"),
      entry(0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"),
      entry(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"),
      entry(0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"),
      entry(0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"),
      entry(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
      entry(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
      entry(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
      entry(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
      entry(0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"),
      entry(0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"),
      entry(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"),
      entry(0x1301, "TLS_AES_128_GCM_SHA256"),
      entry(0x1302, "TLS_AES_256_GCM_SHA384"),
      entry(0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
      entry(0x1304, "TLS_AES_128_CCM_SHA256"),
      entry(0x1305, "TLS_AES_128_CCM_8_SHA256"),
      entry(0x5600, "TLS_FALLBACK_SCSV"),
      entry(0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA"),
      entry(0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA"),
      entry(0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"),
      entry(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"),
      entry(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"),
      entry(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
      entry(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
      entry(0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA"),
      entry(0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA"),
      entry(0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA"),
      entry(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"),
      entry(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
      entry(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
      entry(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
      entry(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
      entry(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
      entry(0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256"),
      entry(0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384"),
      entry(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
      entry(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
      entry(0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256"),
      entry(0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384"),
      entry(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
      entry(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
      entry(0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256"),
      entry(0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384"),
      entry(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
      entry(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
      entry(0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256"),
      entry(0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384"),
      entry(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"),
      entry(0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"),
      entry(0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"),
      entry(0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"),
      entry(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
      entry(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
      entry(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
  );

  /** JSSE (JDK 17) names that are not IANA names, with their code points. */
  static final ImmutableMap<String, Integer> JSSE_LEGACY = ImmutableMap.ofEntries(
      legacy("SSL_DHE_RSA_WITH_3DES_EDE_CBC_SHA", 0x0016),
      legacy("SSL_DHE_DSS_WITH_3DES_EDE_CBC_SHA", 0x0013),
      legacy("SSL_RSA_WITH_3DES_EDE_CBC_SHA", 0x000A),
      legacy("SSL_DH_anon_WITH_3DES_EDE_CBC_SHA", 0x001B),
      legacy("SSL_RSA_WITH_RC4_128_SHA", 0x0005),
      legacy("SSL_RSA_WITH_RC4_128_MD5", 0x0004),
      legacy("SSL_DH_anon_WITH_RC4_128_MD5", 0x0018),
      legacy("SSL_RSA_WITH_DES_CBC_SHA", 0x0009),
      legacy("SSL_DHE_RSA_WITH_DES_CBC_SHA", 0x0015),
      legacy("SSL_DHE_DSS_WITH_DES_CBC_SHA", 0x0012),
      legacy("SSL_DH_anon_WITH_DES_CBC_SHA", 0x001A),
      legacy("SSL_RSA_EXPORT_WITH_DES40_CBC_SHA", 0x0008),
      legacy("SSL_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", 0x0014),
      legacy("SSL_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", 0x0011),
      legacy("SSL_DH_anon_EXPORT_WITH_DES40_CBC_SHA", 0x0019),
      legacy("SSL_RSA_EXPORT_WITH_RC4_40_MD5", 0x0003),
      legacy("SSL_DH_anon_EXPORT_WITH_RC4_40_MD5", 0x0017),
      legacy("SSL_RSA_WITH_NULL_SHA", 0x0002),
      legacy("SSL_RSA_WITH_NULL_MD5", 0x0001),
      legacy("SSL_RSA_EXPORT_WITH_RC2_CBC_40_MD5", 0x0006),
      legacy("SSL_RSA_WITH_IDEA_CBC_SHA", 0x0007),
      legacy("SSL_DH_DSS_EXPORT_WITH_DES40_CBC_SHA", 0x000B),
      legacy("SSL_DH_DSS_WITH_DES_CBC_SHA", 0x000C),
      legacy("SSL_DH_DSS_WITH_3DES_EDE_CBC_SHA", 0x000D),
      legacy("SSL_DH_RSA_EXPORT_WITH_DES40_CBC_SHA", 0x000E),
      legacy("SSL_DH_RSA_WITH_DES_CBC_SHA", 0x000F),
      legacy("SSL_DH_RSA_WITH_3DES_EDE_CBC_SHA", 0x0010),
      legacy("SSL_FORTEZZA_DMS_WITH_NULL_SHA", 0x001C),
      legacy("SSL_FORTEZZA_DMS_WITH_FORTEZZA_CBC_SHA", 0x001D),
      legacy("SSL_RSA_EXPORT1024_WITH_DES_CBC_SHA", 0x0062),
      legacy("SSL_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA", 0x0063),
      legacy("SSL_RSA_EXPORT1024_WITH_RC4_56_SHA", 0x0064),
      legacy("SSL_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA", 0x0065),
      legacy("SSL_DHE_DSS_WITH_RC4_128_SHA", 0x0066),
      legacy("NETSCAPE_RSA_FIPS_WITH_3DES_EDE_CBC_SHA", 0xFFE0),
      legacy("NETSCAPE_RSA_FIPS_WITH_DES_CBC_SHA", 0xFFE1),
      legacy("SSL_RSA_FIPS_WITH_DES_CBC_SHA", 0xFEFE),
      legacy("SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA", 0xFEFF),
      legacy("SSL_NULL_WITH_NULL_NULL", 0x0000)
  );

  private CipherSuiteTable() {}

  /** The code point of an IANA name, when the table has it. */
  static OptionalInt codePointOf(String ianaName) {
    Integer code = IANA.inverse().get(ianaName);
    return code == null ? OptionalInt.empty() : OptionalInt.of(code);
  }

  /** The IANA name of a code point, when the table has it. */
  static Optional<String> ianaNameOf(int codePoint) {
    return Optional.ofNullable(IANA.get(codePoint));
  }

  /** The code point of a JSSE name that is not an IANA name (an {@code SSL_} spelling). */
  static OptionalInt legacyCodePointOf(String jsseName) {
    Integer code = JSSE_LEGACY.get(jsseName);
    return code == null ? OptionalInt.empty() : OptionalInt.of(code);
  }

  private static Map.Entry<Integer, String> entry(int codePoint, String ianaName) {
    return Map.entry(codePoint, ianaName);
  }

  private static Map.Entry<String, Integer> legacy(String jsseName, int codePoint) {
    return Map.entry(jsseName, codePoint);
  }
}
