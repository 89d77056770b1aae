package org.mailtls.cli.probe;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;

/**
 * The "does the server ALSO accept ..." questions RFC 8314 and RFC 9325 make worth asking: each is
 * one handshake offering only the weak thing. A server that answers with a ServerHello choosing it
 * accepts it, whatever else it supports.
 *
 * <p>The suite lists are broad on purpose (ECDHE, DHE and RSA key exchange, ECDSA and RSA
 * certificates), so a server is not judged "refuses" just because the probe offered the wrong
 * flavour of the weak thing.
 */
enum LegacyCheck {
  /** TLS 1.0: deprecated by RFC 8996, forbidden for mail by RFC 8997 (TLS-01). */
  TLS10("tls10", "refuses TLS 1.0", "RFC 8996, RFC 8997; TLS-01", ProtocolVersion.TLSv10, Suites.PRE_TLS12),
  /** TLS 1.1: same. */
  TLS11("tls11", "refuses TLS 1.1", "RFC 8996, RFC 8997; TLS-01", ProtocolVersion.TLSv11, Suites.PRE_TLS12),
  /** TLS 1.2 with only CBC suites: MailTLS allows AEAD only (RFC 9325 §4.2; TLS-18). */
  CBC("cbc", "refuses CBC suites (TLS 1.2)", "RFC 9325 §4.2; TLS-18", ProtocolVersion.TLSv12, Suites.CBC_TLS12),
  /** TLS 1.2 with only static-RSA key transport: no forward secrecy (RFC 9325 §4.1, RFC 10015; TLS-14). */
  STATIC_RSA("static-rsa", "refuses static-RSA key exchange (TLS 1.2)", "RFC 9325 §4.1, RFC 10015; TLS-14",
      ProtocolVersion.TLSv12, Suites.STATIC_RSA);

  private final String id;
  private final String title;
  private final String rule;
  private final ProtocolVersion version;
  private final List<String> suiteNames;

  LegacyCheck(String id, String title, String rule, ProtocolVersion version, List<String> suiteNames) {
    this.id = id;
    this.title = title;
    this.rule = rule;
    this.version = version;
    this.suiteNames = suiteNames;
  }

  /** The verdict's identifier in the JSON report. */
  String id() {
    return id;
  }

  /** What a passing server does, e.g. "refuses TLS 1.1". */
  String title() {
    return title;
  }

  /** The rules behind the check. */
  String rule() {
    return rule;
  }

  /** The only version offered. */
  ProtocolVersion version() {
    return version;
  }

  /** The IANA names of the suites offered. */
  List<String> suiteNames() {
    return suiteNames;
  }

  /** The suites offered, as code points. */
  int[] suites() {
    return suiteNames.stream().mapToInt(LegacyCheck::codePoint).toArray();
  }

  /** The IANA name of a suite code point among those this check offers, or its hex value. */
  String nameOf(int suite) {
    for (String n : suiteNames) {
      if (codePoint(n) == suite) {
        return n;
      }
    }
    return String.format("0x%04X", suite);
  }

  private static int codePoint(String name) {
    try {
      return CipherSuite.class.getField(name).getInt(null); // BouncyCastle names them exactly as IANA does
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("BouncyCastle does not know the suite " + name, e);
    }
  }

  /** The suite lists, by IANA name. */
  private static final class Suites {
    static final List<String> PRE_TLS12 = List.of(
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    static final List<String> CBC_TLS12 = concat(List.of(
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256"), PRE_TLS12);
    static final List<String> STATIC_RSA = List.of(
        "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256",
        "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA");

    private static List<String> concat(List<String> a, List<String> b) {
      List<String> all = new ArrayList<>(a);
      all.addAll(b);
      return List.copyOf(all);
    }
  }
}
