package org.mailtls.benchmarks;

/**
 * Reads the plaintext part of the server's flight (RFC 8446 §4.1.3, RFC 5246 §7.4) to tell, for any
 * engine, whether a handshake was a resumption and which key-exchange group it used:
 *
 * <ul>
 *   <li>TLS 1.3: the ServerHello carries {@code pre_shared_key} (41) exactly when the server accepted
 *       a PSK (resumption), and {@code key_share} (51) names the group.
 *   <li>TLS 1.2: a full handshake sends the server's Certificate (11) in the clear; an abbreviated
 *       one (session ID or ticket) goes from ServerHello straight to ChangeCipherSpec. The
 *       ServerKeyExchange (12) names the curve.
 * </ul>
 *
 * <p>Handshake bytes are copied into a preallocated array until the first non-handshake record
 * (ChangeCipherSpec, alert or encrypted data), then parsed on demand into primitive fields: no
 * allocation on the measured path.
 */
final class WireInspector {
  private static final int SERVER_HELLO = 2;
  private static final int CERTIFICATE = 11;
  private static final int SERVER_KEY_EXCHANGE = 12;
  private static final int EXT_PRE_SHARED_KEY = 41;
  private static final int EXT_SUPPORTED_VERSIONS = 43;
  private static final int EXT_KEY_SHARE = 51;
  private static final byte[] HRR_RANDOM = hex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

  private final byte[] handshake = new byte[1 << 16];
  private int length;
  private boolean stopped;

  private boolean parsed;
  private boolean serverHello;
  private boolean tls13;
  private boolean psk;
  private boolean certificate;
  private boolean helloRetry;
  private int group = -1;

  void reset() {
    length = 0;
    stopped = false;
    parsed = false;
  }

  /** Shows the inspector the records in {@code a[from, to)} that the server just wrote. */
  void serverRecords(byte[] a, int from, int to) {
    int i = from;
    while (!stopped && i + 5 <= to) {
      int type = a[i] & 0xff;
      int len = ((a[i + 3] & 0xff) << 8) | (a[i + 4] & 0xff);
      if (type != 22) {
        stopped = true; // ChangeCipherSpec, alert or application data: the plaintext flight is over
        break;
      }
      int n = Math.min(len, Math.min(to - i - 5, handshake.length - length));
      System.arraycopy(a, i + 5, handshake, length, n);
      length += n;
      i += 5 + len;
    }
  }

  /** True when the server resumed a session (TLS 1.3 PSK, or a TLS 1.2 flight without a Certificate). */
  boolean resumed() {
    parse();
    return tls13 ? psk : serverHello && !certificate;
  }

  boolean sawServerHello() {
    parse();
    return serverHello;
  }

  boolean helloRetryRequest() {
    parse();
    return helloRetry;
  }

  /** The negotiated group's IANA code point, or -1 when the flight did not show it (TLS 1.2 resumption). */
  int group() {
    parse();
    return group;
  }

  /** A one-line description for sanity output. */
  String describe() {
    parse();
    if (!serverHello) {
      return "no ServerHello seen";
    }
    return (tls13 ? "TLS 1.3" : "TLS 1.2") + (helloRetry ? ", HelloRetryRequest" : "")
        + (resumed() ? ", resumed" : ", full handshake (server sent its certificate"
            + (tls13 ? ", no PSK accepted" : "") + ")")
        + ", group " + groupName(group);
  }

  static String groupName(int g) {
    switch (g) {
      case -1: return "(not shown)";
      case 0x0017: return "secp256r1";
      case 0x0018: return "secp384r1";
      case 0x0019: return "secp521r1";
      case 0x001d: return "x25519";
      case 0x001e: return "x448";
      case 0x0100: return "ffdhe2048";
      case 0x11ec: return "X25519MLKEM768";
      default: return String.format("0x%04x", g);
    }
  }

  private void parse() {
    if (parsed) {
      return;
    }
    parsed = true;
    serverHello = false;
    tls13 = false;
    psk = false;
    certificate = false;
    helloRetry = false;
    group = -1;
    int i = 0;
    while (i + 4 <= length) {
      int type = handshake[i] & 0xff;
      int len = u24(i + 1);
      int body = i + 4;
      if (body + len > length) {
        break; // truncated (should not happen with whole flights)
      }
      if (type == SERVER_HELLO) {
        serverHello(body, len);
      } else if (type == CERTIFICATE) {
        certificate = true;
      } else if (type == SERVER_KEY_EXCHANGE && len >= 3 && (handshake[body] & 0xff) == 3) {
        group = u16(body + 1); // ECParameters: named_curve
      }
      i = body + len;
    }
  }

  private void serverHello(int p, int len) {
    int end = p + len;
    serverHello = true;
    int random = p + 2;
    helloRetry = regionEquals(random, HRR_RANDOM);
    int q = random + 32;
    q += 1 + (handshake[q] & 0xff); // legacy_session_id
    q += 2 + 1; // cipher_suite, legacy_compression_method
    if (q + 2 > end) {
      return;
    }
    int extEnd = Math.min(end, q + 2 + u16(q));
    q += 2;
    while (q + 4 <= extEnd) {
      int type = u16(q);
      int elen = u16(q + 2);
      int data = q + 4;
      if (type == EXT_SUPPORTED_VERSIONS && elen >= 2) {
        tls13 = u16(data) == 0x0304;
      } else if (type == EXT_PRE_SHARED_KEY) {
        psk = true;
      } else if (type == EXT_KEY_SHARE && elen >= 2) {
        group = u16(data);
      }
      q = data + elen;
    }
  }

  private boolean regionEquals(int p, byte[] b) {
    if (p + b.length > length) {
      return false;
    }
    for (int k = 0; k < b.length; k++) {
      if (handshake[p + k] != b[k]) {
        return false;
      }
    }
    return true;
  }

  private int u16(int p) {
    return ((handshake[p] & 0xff) << 8) | (handshake[p + 1] & 0xff);
  }

  private int u24(int p) {
    return ((handshake[p] & 0xff) << 16) | ((handshake[p + 1] & 0xff) << 8) | (handshake[p + 2] & 0xff);
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int k = 0; k < out.length; k++) {
      out[k] = (byte) Integer.parseInt(s.substring(2 * k, 2 * k + 2), 16);
    }
    return out;
  }
}
