package org.mailtls.testing;

import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Builds subject DNs from the RDNs a {@link HeldCertificate.Builder} collected. */
final class Names {
  private Names() {}

  /**
   * Resolves a dotted OID or a BouncyCastle {@link BCStyle} short name ("CN", "O", "DC", "E", ...).
   *
   * @throws IllegalArgumentException naming the value if it is neither
   */
  static ASN1ObjectIdentifier attributeOid(String oidOrShortName) {
    if (oidOrShortName == null || oidOrShortName.isEmpty()) {
      throw new IllegalArgumentException("attribute type must be an OID or a short name: "
          + oidOrShortName);
    }
    if (Character.isDigit(oidOrShortName.charAt(0))) {
      try {
        return new ASN1ObjectIdentifier(oidOrShortName);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a dotted OID: " + oidOrShortName, e);
      }
    }
    try {
      return BCStyle.INSTANCE.attrNameToOID(oidOrShortName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown attribute short name: " + oidOrShortName, e);
    }
  }

  /**
   * The DN with {@code rdns} (pairs of type and value) in order, then the CN if non-null. Values
   * are encoded as BCStyle does (IA5String for emailAddress and DC, PrintableString for C,
   * UTF8String otherwise), but always literally: a leading '#' is never read as hex.
   */
  static X500Name subject(List<String[]> rdns, String commonName) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    for (String[] rdn : rdns) {
      add(builder, attributeOid(rdn[0]), rdn[1]);
    }
    if (commonName != null) {
      add(builder, BCStyle.CN, commonName);
    }
    return builder.build();
  }

  private static void add(X500NameBuilder builder, ASN1ObjectIdentifier type, String value) {
    // BCStyle treats a leading '#' as hex DER and strips one leading '\'; escape both.
    String literal = value.startsWith("#") || value.startsWith("\\") ? "\\" + value : value;
    builder.addRDN(type, BCStyle.INSTANCE.stringToValue(type, literal));
  }
}
