package org.mailtls.policy.server;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Reads the parts of a client certificate the mappings need, from the raw DER with BouncyCastle's
 * ASN.1 classes, and never throws for hostile input: what cannot be decoded is reported as a
 * problem, and a mapping treats any problem as "not mapped" (fail closed).
 *
 * <p>Why not {@link X509Certificate#getSubjectAlternativeNames()}: the JDK returns null for a SAN
 * extension it cannot parse, which would look like "no rfc822Name" instead of "malformed".
 */
final class CertificateFields {
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";

  /** SAN entries beyond this many are not examined; such a certificate maps to nothing. */
  static final int MAX_SAN_ENTRIES = 256;

  private CertificateFields() {}

  /** What the subjectAltName holds: rfc822Name values (decoded), counts of other kinds, problems. */
  record Sans(ImmutableList<String> rfc822Names, Map<String, Integer> otherKinds, ImmutableList<String> problems) {
    /** E.g. {@code rfc822Name "a@example.net", dNSName x2}, or {@code no subjectAltName}. */
    String describe() {
      List<String> parts = new ArrayList<>();
      for (String r : rfc822Names) {
        parts.add("rfc822Name \"" + AuthorizationIdentities.shown(r) + "\"");
      }
      otherKinds.forEach((k, n) -> parts.add(k + (n > 1 ? " x" + n : "")));
      parts.addAll(problems);
      return parts.isEmpty() ? "no subjectAltName entry" : String.join(", ", parts);
    }
  }

  /** The subjectAltName of {@code leaf}. */
  static Sans subjectAltNames(X509Certificate leaf) {
    List<String> rfc822 = new ArrayList<>();
    Map<String, Integer> other = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    byte[] ext;
    try {
      ext = leaf.getExtensionValue(SUBJECT_ALT_NAME);
    } catch (RuntimeException e) {
      ext = null;
      problems.add("an unreadable subjectAltName extension (" + e.getMessage() + ")");
    }
    if (ext != null) {
      try {
        byte[] octets = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(ext)).getOctets();
        ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(octets));
        if (seq.size() > MAX_SAN_ENTRIES) {
          problems.add(seq.size() + " subjectAltName entries (more than " + MAX_SAN_ENTRIES + " are not examined)");
        } else {
          for (ASN1Encodable entry : seq) {
            decode(entry, rfc822, other, problems);
          }
        }
      } catch (IOException | RuntimeException e) {
        problems.add("a malformed subjectAltName extension (" + AuthorizationIdentities.shown(
            String.valueOf(e.getMessage())) + ")");
      }
    }
    return new Sans(ImmutableList.copyOf(rfc822), other, ImmutableList.copyOf(problems));
  }

  private static void decode(ASN1Encodable entry, List<String> rfc822, Map<String, Integer> other,
      List<String> problems) {
    if (!(entry instanceof ASN1TaggedObject)
        || ((ASN1TaggedObject) entry).getTagClass() != BERTags.CONTEXT_SPECIFIC) {
      problems.add("an entry that is not a GeneralName");
      return;
    }
    ASN1TaggedObject tagged = (ASN1TaggedObject) entry;
    int tag = tagged.getTagNo();
    if (tag != 1) {
      other.merge(kindOf(tag), 1, Integer::sum);
      return;
    }
    try {
      if (tagged.isExplicit()) {
        problems.add("a constructed rfc822Name entry (it must be an IMPLICIT IA5String)");
        return;
      }
      byte[] raw = ASN1OctetString.getInstance(tagged, false).getOctets();
      for (byte b : raw) {
        if (b < 0) {
          problems.add("an rfc822Name entry with non-ASCII octets (an IA5String holds 7-bit ASCII only)");
          return;
        }
      }
      rfc822.add(new String(raw, StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      problems.add("an rfc822Name entry that cannot be decoded");
    }
  }

  private static String kindOf(int tag) {
    switch (tag) {
      case 0: return "otherName";
      case 2: return "dNSName";
      case 4: return "directoryName";
      case 6: return "URI";
      case 7: return "iPAddress";
      default: return "GeneralName [" + tag + "]";
    }
  }

  /** One attribute of the subject DN, in DN order (multi-valued RDNs flattened). */
  record Attribute(ASN1ObjectIdentifier type, ASN1Encodable value) {
    /** The type's short name (CN, UID, ...) or its dotted OID. */
    String typeName() {
      return displayName(type);
    }
  }

  /**
   * The subject's attributes.
   *
   * @throws IllegalArgumentException with a reason when the subject cannot be parsed
   */
  static ImmutableList<Attribute> subjectAttributes(X509Certificate leaf) {
    try {
      X500Name name = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
      ImmutableList.Builder<Attribute> out = ImmutableList.builder();
      for (RDN rdn : name.getRDNs()) {
        for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
          out.add(new Attribute(atv.getType(), atv.getValue()));
        }
      }
      return out.build();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the subject name cannot be parsed ("
          + AuthorizationIdentities.shown(String.valueOf(e.getMessage())) + ")", e);
    }
  }

  /** The short name BouncyCastle knows for {@code oid} (e.g. UID, CN), or the dotted OID. */
  static String displayName(ASN1ObjectIdentifier oid) {
    String name = BCStyle.INSTANCE.oidToDisplayName(oid);
    return name == null ? oid.getId() : name;
  }
}
