package org.mailtls.provider;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the negotiated key-exchange group from the server's cleartext handshake messages, because
 * no engine exposes it (not SunJSSE's {@code ExtendedSSLSession}, not BCJSSE 1.84's session or
 * connection): TLS 1.3's ServerHello {@code key_share} (RFC 8446 §4.2.8; after a
 * HelloRetryRequest the last ServerHello wins), TLS 1.2's ECDHE ServerKeyExchange {@code
 * named_curve} (RFC 8422 §5.4). It never guesses: an unknown code point has no name, a malformed
 * message yields nothing, and reading stops at the first encrypted record. Feed it the
 * server-to-client bytes in order; it keeps at most {@link #MAX_BUFFERED} bytes.
 */
final class GroupSniffer {
  /** Enough for a first flight up to ServerKeyExchange with a long certificate chain. */
  static final int MAX_BUFFERED = 1 << 17;

  /** IANA TLS Supported Groups names of the code points a mail server may negotiate. */
  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(0x0017, "secp256r1"), Map.entry(0x0018, "secp384r1"), Map.entry(0x0019, "secp521r1"),
      Map.entry(0x001D, "x25519"), Map.entry(0x001E, "x448"),
      Map.entry(0x0100, "ffdhe2048"), Map.entry(0x0101, "ffdhe3072"), Map.entry(0x0102, "ffdhe4096"),
      Map.entry(0x0103, "ffdhe6144"), Map.entry(0x0104, "ffdhe8192"),
      Map.entry(0x11EB, "SecP256r1MLKEM768"), Map.entry(0x11EC, "X25519MLKEM768"),
      Map.entry(0x11ED, "SecP384r1MLKEM1024"));

  private byte[] records = new byte[0];
  private int recordsLength;
  private byte[] handshake = new byte[0];
  private int handshakeLength;
  private int group = -1;
  private boolean done;

  /** The IANA name of a group code point, if it is one MailTLS knows. */
  static Optional<String> nameOf(int codePoint) {
    return Optional.ofNullable(NAMES.get(codePoint));
  }

  /** The negotiated group's code point once seen, else -1. */
  synchronized int groupCode() {
    return group;
  }

  /** The negotiated group's IANA name, when it was seen and is known. */
  synchronized Optional<String> groupName() {
    return group < 0 ? Optional.empty() : nameOf(group);
  }

  /** True once nothing more can be learnt. */
  synchronized boolean done() {
    return done;
  }

  /** Feeds server-to-client bytes; {@code bytes}' position is not moved. */
  synchronized void feed(ByteBuffer bytes) {
    if (done || !bytes.hasRemaining()) {
      return;
    }
    ByteBuffer b = bytes.duplicate();
    records = ensure(records, recordsLength + b.remaining());
    int n = b.remaining();
    b.get(records, recordsLength, n);
    recordsLength += n;
    int at = 0;
    while (!done && recordsLength - at >= 5) {
      int type = records[at] & 0xff;
      int length = ((records[at + 3] & 0xff) << 8) | (records[at + 4] & 0xff);
      if (recordsLength - at < 5 + length) {
        break;
      }
      if (type == 22) {
        handshake = ensure(handshake, handshakeLength + length);
        System.arraycopy(records, at + 5, handshake, handshakeLength, length);
        handshakeLength += length;
        parseMessages();
      } else if (type != 20) { // change_cipher_spec is a compatibility no-op; anything else ends the cleartext
        done = true;
      }
      at += 5 + length;
    }
    System.arraycopy(records, at, records, 0, recordsLength - at);
    recordsLength -= at;
    if (recordsLength + handshakeLength > MAX_BUFFERED) {
      done = true; // far more than a first flight: give up rather than buffer without limit
    }
  }

  private void parseMessages() {
    int at = 0;
    while (!done && handshakeLength - at >= 4) {
      int type = handshake[at] & 0xff;
      int length = ((handshake[at + 1] & 0xff) << 16) | ((handshake[at + 2] & 0xff) << 8) | (handshake[at + 3] & 0xff);
      if (handshakeLength - at < 4 + length) {
        break;
      }
      ByteBuffer body = ByteBuffer.wrap(handshake, at + 4, length).slice();
      if (type == 2) {
        serverHello(body);
      } else if (type == 12) {
        serverKeyExchange(body);
        done = true;
      } else if (type == 14) {
        done = true; // ServerHelloDone without a ServerKeyExchange: no (EC)DHE
      }
      at += 4 + length;
    }
    System.arraycopy(handshake, at, handshake, 0, handshakeLength - at);
    handshakeLength -= at;
  }

  /** ServerHello or HelloRetryRequest: key_share's group (or HRR's selected_group). */
  private void serverHello(ByteBuffer b) {
    try {
      b.position(2 + 32);
      int sessionIdLength = b.get() & 0xff; // legacy_session_id_echo
      b.position(b.position() + sessionIdLength);
      b.position(b.position() + 3); // cipher_suite, legacy_compression_method
      if (b.remaining() < 2) {
        return; // no extensions: TLS 1.2
      }
      int end = b.position() + 2 + (b.getShort() & 0xffff);
      while (b.position() + 4 <= end) {
        int extType = b.getShort() & 0xffff;
        int extLength = b.getShort() & 0xffff;
        if (extType == 51 && extLength >= 2) {
          group = b.getShort(b.position()) & 0xffff;
        }
        b.position(b.position() + extLength);
      }
    } catch (RuntimeException e) {
      group = -1;
      done = true; // malformed: know nothing rather than something wrong
    }
  }

  /** TLS 1.2 ECDHE ServerKeyExchange: curve_type named_curve (3), then the group. */
  private void serverKeyExchange(ByteBuffer b) {
    if (b.remaining() >= 3 && (b.get(0) & 0xff) == 3) {
      group = ((b.get(1) & 0xff) << 8) | (b.get(2) & 0xff);
    }
  }

  private static byte[] ensure(byte[] a, int size) {
    return a.length >= size ? a : Arrays.copyOf(a, Math.max(size, a.length * 2 + 256));
  }
}
