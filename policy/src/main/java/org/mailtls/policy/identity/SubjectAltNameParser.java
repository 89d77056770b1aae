package org.mailtls.policy.identity;

import java.io.IOException;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.BERTags;

/**
 * Parses the raw subjectAltName extension (OID 2.5.29.17) with BouncyCastle's ASN.1 classes.
 *
 * <p>Why not {@link java.security.cert.X509Certificate#getSubjectAlternativeNames()}: the JDK
 * returns {@code null} for a SAN extension it cannot parse, which makes the certificate look as if
 * it had no SAN at all and would let a legacy CN match. Here the extension's presence decides
 * "has a SAN", and a malformed extension is an error that disables CN fallback (fail closed).
 *
 * <p>Each GeneralName is decoded on its own, so one malformed entry is ignored with a reason while
 * the others still count (RFC 9525 §6.3).
 */
final class SubjectAltNameParser {
  /** id-on-dnsSRV, the SRVName otherName type (RFC 4985 §2, SRV-01). */
  static final ASN1ObjectIdentifier ID_ON_DNS_SRV = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.7");

  /** The JDK wraps the otherName value in one extra [0]; accept at most this many [0] layers. */
  private static final int MAX_EXPLICIT_LAYERS = 2;

  private SubjectAltNameParser() {}

  /**
   * Decodes the extnValue bytes (the content of the extension's OCTET STRING) into the entries of
   * the GeneralNames SEQUENCE.
   *
   * @throws IllegalArgumentException if the bytes are not one DER SEQUENCE with at least one entry
   */
  static ASN1Sequence decodeGeneralNames(byte[] extnValue) {
    ASN1Primitive primitive;
    try {
      primitive = ASN1Primitive.fromByteArray(extnValue);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not valid DER: " + e.getMessage(), e);
    }
    if (!(primitive instanceof ASN1Sequence)) {
      throw new IllegalArgumentException("not a SEQUENCE of GeneralName");
    }
    ASN1Sequence seq = (ASN1Sequence) primitive;
    if (seq.size() == 0) {
      throw new IllegalArgumentException("empty GeneralNames (RFC 5280 §4.2.1.6 requires at least one)");
    }
    return seq;
  }

  /** Unwraps the certificate's extension OCTET STRING, as returned by {@code getExtensionValue}. */
  static byte[] unwrapExtensionOctets(byte[] extensionValue) {
    try {
      return ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(extensionValue)).getOctets();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("extension value is not an OCTET STRING: " + e.getMessage(), e);
    }
  }

  /** Decodes one GeneralName into the sink; never throws for malformed content. */
  static void decodeEntry(ASN1Encodable entry, PresentedIdentifiers.Collector sink) {
    if (!(entry instanceof ASN1TaggedObject)
        || ((ASN1TaggedObject) entry).getTagClass() != BERTags.CONTEXT_SPECIFIC) {
      sink.ignore("GeneralName", "(not context-tagged)", "not a GeneralName (RFC 5280 §4.2.1.6)", true);
      return;
    }
    ASN1TaggedObject tagged = (ASN1TaggedObject) entry;
    int tag = tagged.getTagNo();
    try {
      switch (tag) {
        case 0:
          decodeOtherName(tagged, sink);
          break;
        case 1:
          sink.ignore("rfc822Name", Printable.of(octets(tagged)), "an email address does not identify a server", false);
          break;
        case 2:
          sink.dnsName(octets(tagged));
          break;
        case 6:
          sink.ignore("URI", Printable.of(octets(tagged)), "URI-IDs are never used for mail (RFC 7817 §3 rule 3)", true);
          break;
        case 7:
          sink.ipAddress(octets(tagged));
          break;
        default:
          sink.ignore("GeneralName [" + tag + "]", "", "not a server identifier type for mail", false);
      }
    } catch (RuntimeException e) {
      sink.ignore(kindOf(tag), "(malformed)", "could not be decoded: " + e.getMessage(), tag == 0 || tag == 2 || tag == 6 || tag == 7);
    }
  }

  private static String kindOf(int tag) {
    switch (tag) {
      case 0: return "otherName";
      case 1: return "rfc822Name";
      case 2: return "dNSName";
      case 6: return "URI";
      case 7: return "iPAddress";
      default: return "GeneralName [" + tag + "]";
    }
  }

  /** The contents of an IMPLICIT primitive string or OCTET STRING entry. */
  private static byte[] octets(ASN1TaggedObject tagged) {
    if (tagged.isExplicit()) {
      throw new IllegalArgumentException("constructed where a primitive string was expected");
    }
    return ASN1OctetString.getInstance(tagged, false).getOctets();
  }

  private static void decodeOtherName(ASN1TaggedObject tagged, PresentedIdentifiers.Collector sink) {
    ASN1Sequence seq = ASN1Sequence.getInstance(tagged, false);
    if (seq.size() != 2) {
      throw new IllegalArgumentException("an OtherName has a type-id and a value");
    }
    ASN1ObjectIdentifier typeId = ASN1ObjectIdentifier.getInstance(seq.getObjectAt(0));
    if (!ID_ON_DNS_SRV.equals(typeId)) {
      sink.ignore("otherName " + Printable.of(typeId.getId()), "", "not a server identifier type for mail", false);
      return;
    }
    ASN1Encodable value = seq.getObjectAt(1);
    for (int layer = 0; layer < MAX_EXPLICIT_LAYERS && isExplicitZero(value); layer++) {
      value = ((ASN1TaggedObject) value).getExplicitBaseObject();
    }
    if (value instanceof ASN1IA5String) {
      sink.srvName(((ASN1IA5String) value).getOctets());
    } else if (value instanceof ASN1UTF8String) {
      sink.ignore("SRVName", Printable.of(((ASN1UTF8String) value).getString()),
          "an SRVName value must be an IA5String, not a UTF8String (RFC 4985 §2)", true);
    } else {
      sink.ignore("SRVName", "(not a string)", "the value is not an [0] EXPLICIT IA5String (RFC 4985 §2)", true);
    }
  }

  private static boolean isExplicitZero(ASN1Encodable value) {
    if (!(value instanceof ASN1TaggedObject)) {
      return false;
    }
    ASN1TaggedObject t = (ASN1TaggedObject) value;
    return t.getTagClass() == BERTags.CONTEXT_SPECIFIC && t.getTagNo() == 0 && t.isExplicit();
  }

  /** Visible for the parser's caller: the first {@code max} entries of {@code seq}. */
  static List<ASN1Encodable> firstEntries(ASN1Sequence seq, int max) {
    ASN1Encodable[] all = seq.toArray();
    return List.of(all).subList(0, Math.min(max, all.length));
  }
}
