package org.mailtls.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.util.IPAddress;

/**
 * Collects subjectAltName GeneralName entries as raw DER and encodes the extension value.
 *
 * <p>Entries are encoded by hand, not through BouncyCastle's {@code GeneralName}, because tests
 * need names no well-behaved encoder would produce: unvalidated dNSNames, 5-octet iPAddresses,
 * otherName values that are not valid DER. Each entry is one complete GeneralName TLV;
 * {@link #encode()} concatenates them verbatim inside a SEQUENCE.
 */
final class SanEncoder {
  /** OID of the RFC 4985 SRVName otherName type, id-on-dnsSRV. */
  static final String SRV_NAME_OID = "1.3.6.1.5.5.7.8.7";

  private static final int OTHER_NAME = 0xA0; // [0] constructed (IMPLICIT SEQUENCE)
  private static final int RFC822_NAME = 0x81; // [1] primitive, IA5String
  private static final int DNS_NAME = 0x82; // [2] primitive, IA5String
  private static final int URI = 0x86; // [6] primitive, IA5String
  private static final int IP_ADDRESS = 0x87; // [7] primitive, OCTET STRING
  private static final int EXPLICIT_0 = 0xA0; // [0] EXPLICIT wrapper of the otherName value
  private static final int IA5_STRING = 0x16;
  private static final int UTF8_STRING = 0x0C;
  private static final int SEQUENCE = 0x30;

  private final List<byte[]> entries = new ArrayList<>();

  /** True when no entry has been added. */
  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Adds a dNSName; the characters are written as UTF-8 bytes without any validation. */
  void dnsName(String name) {
    entries.add(tlv(DNS_NAME, text(name)));
  }

  /** Adds an rfc822Name; written as UTF-8 bytes without validation. */
  void rfc822Name(String email) {
    entries.add(tlv(RFC822_NAME, text(email)));
  }

  /** Adds a uniformResourceIdentifier; written as UTF-8 bytes without validation. */
  void uri(String uri) {
    entries.add(tlv(URI, text(uri)));
  }

  /** Adds an iPAddress of exactly the given octets, whatever their count. */
  void ipAddressOctets(byte[] octets) {
    entries.add(tlv(IP_ADDRESS, octets.clone()));
  }

  /** Adds an iPAddress parsed from an IPv4 (4 octets) or IPv6 (16 octets) literal. */
  void ipAddress(String literal) {
    entries.add(tlv(IP_ADDRESS, parseIpLiteral(literal)));
  }

  /** Adds an otherName with type-id {@code oid} whose [0] EXPLICIT content is {@code valueDer}. */
  void otherName(String oid, byte[] valueDer) {
    byte[] typeId = oidDer(oid);
    entries.add(tlv(OTHER_NAME, typeId, tlv(EXPLICIT_0, valueDer.clone())));
  }

  /** Adds an RFC 4985 SRVName with an IA5String value, the conforming encoding. */
  void srvName(String srvName) {
    otherName(SRV_NAME_OID, tlv(IA5_STRING, text(srvName)));
  }

  /** Adds an SRVName whose value is (non-conformingly) a UTF8String. */
  void srvNameUtf8(String srvName) {
    otherName(SRV_NAME_OID, tlv(UTF8_STRING, text(srvName)));
  }

  /** Appends one pre-encoded GeneralName verbatim. */
  void raw(byte[] generalNameDer) {
    entries.add(generalNameDer.clone());
  }

  /** The extnValue content: a SEQUENCE of all entries in insertion order. */
  byte[] encode() {
    return tlv(SEQUENCE, entries.toArray(new byte[0][]));
  }

  /** Parses an IP literal without ever resolving a host name. */
  static byte[] parseIpLiteral(String literal) {
    if (literal == null || !(IPAddress.isValidIPv4(literal) || IPAddress.isValidIPv6(literal))) {
      throw new IllegalArgumentException("not an IPv4 or IPv6 literal: " + literal);
    }
    byte[] octets;
    try {
      octets = InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 or IPv6 literal: " + literal, e);
    }
    if (octets.length == 4 && literal.contains(":")) {
      // The JDK folds IPv4-mapped IPv6 literals (::ffff:a.b.c.d) to 4 octets; keep all 16.
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xFF;
      mapped[11] = (byte) 0xFF;
      System.arraycopy(octets, 0, mapped, 12, 4);
      return mapped;
    }
    return octets;
  }

  /** DER of a dotted OID, validated. */
  static byte[] oidDer(String oid) {
    try {
      return new ASN1ObjectIdentifier(oid).getEncoded();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("not a dotted OID: " + oid, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One DER TLV with the given single-byte tag; contents are concatenated. */
  static byte[] tlv(int tag, byte[]... contents) {
    return Der.tlv(tag, contents);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
