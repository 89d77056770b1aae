package org.mailtls.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a TLS ClientHello that tests assert on, parsed from the client's first flight as a
 * {@link RecordListener} sees it: offered cipher suites, supported_versions, supported_groups,
 * signature_algorithms and the SNI host name (RFC 8446 §4.1.2, RFC 6066 §3). Test code only; it
 * throws {@link IllegalArgumentException} for anything that is not a plain ClientHello.
 */
public final class ClientHello {
  private final int legacyVersion;
  private final List<Integer> cipherSuites;
  private final List<Integer> supportedVersions;
  private final List<Integer> namedGroups;
  private final List<Integer> signatureAlgorithms;
  private final String serverName;
  private final List<Integer> extensionTypes;
  private final List<Integer> compressionMethods;

  private ClientHello(int legacyVersion, List<Integer> cipherSuites, List<Integer> supportedVersions,
      List<Integer> namedGroups, List<Integer> signatureAlgorithms, String serverName, List<Integer> extensionTypes,
      List<Integer> compressionMethods) {
    this.legacyVersion = legacyVersion;
    this.cipherSuites = List.copyOf(cipherSuites);
    this.supportedVersions = List.copyOf(supportedVersions);
    this.namedGroups = List.copyOf(namedGroups);
    this.signatureAlgorithms = List.copyOf(signatureAlgorithms);
    this.serverName = serverName;
    this.extensionTypes = List.copyOf(extensionTypes);
    this.compressionMethods = List.copyOf(compressionMethods);
  }

  /** Parses the ClientHello at the start of {@code records} (one or more TLS records). */
  public static ClientHello parse(ByteBuffer records) {
    ByteBuffer hs = handshakeBytes(records.duplicate());
    if ((hs.get() & 0xff) != 1) {
      throw new IllegalArgumentException("not a ClientHello");
    }
    int length = u24(hs);
    ByteBuffer body = slice(hs, length);
    int legacyVersion = u16(body);
    skip(body, 32); // random
    skip(body, u8(body)); // legacy_session_id
    List<Integer> suites = u16List(slice(body, u16(body)));
    List<Integer> compression = new ArrayList<>();
    ByteBuffer methods = slice(body, u8(body));
    while (methods.hasRemaining()) {
      compression.add(u8(methods));
    }
    List<Integer> extensionTypes = new ArrayList<>();
    List<Integer> versions = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    List<Integer> sigs = new ArrayList<>();
    String sni = null;
    if (body.hasRemaining()) {
      ByteBuffer exts = slice(body, u16(body));
      while (exts.hasRemaining()) {
        int type = u16(exts);
        extensionTypes.add(type);
        ByteBuffer ext = slice(exts, u16(exts));
        switch (type) {
          case 0: // server_name
            ByteBuffer list = slice(ext, u16(ext));
            if (u8(list) == 0) {
              byte[] name = new byte[u16(list)];
              list.get(name);
              sni = new String(name, StandardCharsets.US_ASCII);
            }
            break;
          case 10: // supported_groups
            groups = u16List(slice(ext, u16(ext)));
            break;
          case 13: // signature_algorithms
            sigs = u16List(slice(ext, u16(ext)));
            break;
          case 43: // supported_versions
            versions = u16List(slice(ext, u8(ext)));
            break;
          default:
            break;
        }
      }
    }
    return new ClientHello(legacyVersion, suites, versions, groups, sigs, sni, extensionTypes, compression);
  }

  /** The legacy_version field (0x0303 for TLS 1.2 and 1.3 hellos). */
  public int legacyVersion() {
    return legacyVersion;
  }

  /** Offered cipher suite code points, in order. */
  public List<Integer> cipherSuites() {
    return cipherSuites;
  }

  /** supported_versions code points (empty without the extension). */
  public List<Integer> supportedVersions() {
    return supportedVersions;
  }

  /** supported_groups code points. */
  public List<Integer> namedGroups() {
    return namedGroups;
  }

  /** signature_algorithms code points. */
  public List<Integer> signatureAlgorithms() {
    return signatureAlgorithms;
  }

  /** The extension type code points, in the order sent. */
  public List<Integer> extensionTypes() {
    return extensionTypes;
  }

  /** The offered compression methods (0 is "null", no compression). */
  public List<Integer> compressionMethods() {
    return compressionMethods;
  }

  /** The SNI host name, or null when none was sent. */
  public String serverName() {
    return serverName;
  }

  /** Concatenates the fragments of the handshake records at the start of {@code records}. */
  private static ByteBuffer handshakeBytes(ByteBuffer records) {
    ByteBuffer out = ByteBuffer.allocate(records.remaining());
    while (records.remaining() >= 5) {
      int type = u8(records);
      u16(records);
      int len = u16(records);
      if (type != 22) {
        break;
      }
      ByteBuffer frag = slice(records, len);
      out.put(frag);
    }
    out.flip();
    if (out.remaining() < 4) {
      throw new IllegalArgumentException("no handshake record");
    }
    return out;
  }

  private static ByteBuffer slice(ByteBuffer b, int len) {
    if (len > b.remaining()) {
      throw new IllegalArgumentException("truncated: need " + len + " bytes, have " + b.remaining());
    }
    ByteBuffer s = b.slice();
    s.limit(len);
    b.position(b.position() + len);
    return s;
  }

  private static void skip(ByteBuffer b, int n) {
    slice(b, n);
  }

  private static int u8(ByteBuffer b) {
    return b.get() & 0xff;
  }

  private static int u16(ByteBuffer b) {
    return b.getShort() & 0xffff;
  }

  private static int u24(ByteBuffer b) {
    return (u8(b) << 16) | u16(b);
  }

  private static List<Integer> u16List(ByteBuffer b) {
    List<Integer> out = new ArrayList<>();
    while (b.remaining() >= 2) {
      out.add(u16(b));
    }
    return out;
  }
}
