package org.mailtls.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** PEM (RFC 7468) text encoding, so certificates and keys can be pasted into configs and logs. */
final class Pem {
  private static final Base64.Encoder BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  /** Encodes {@code der} between BEGIN/END lines of the given label, with 64-column lines. */
  static String encode(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + BASE64.encodeToString(der) + "\n"
        + "-----END " + label + "-----\n";
  }
}
