package org.mailtls.testing;

import java.io.ByteArrayOutputStream;

/**
 * Minimal DER writing for hostile test input: one TLV with a single-byte tag and a definite length
 * (short or long form), so tests can hand-craft GeneralNames, otherName values and whole extensions
 * that BouncyCastle's encoders would refuse to produce.
 */
public final class Der {
  private Der() {}

  /** One TLV with tag {@code tag} (0..255) whose contents are {@code contents} concatenated. */
  public static byte[] tlv(int tag, byte[]... contents) {
    byte[] body = concat(contents);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 6);
    out.write(tag);
    int length = body.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | octets);
      for (int i = octets - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** The byte arrays one after the other. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
