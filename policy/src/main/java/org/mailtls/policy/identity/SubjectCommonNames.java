package org.mailtls.policy.identity;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Extracts subject common names that could serve as legacy CN-IDs (RFC 6125 §6.4.4).
 *
 * <p>Only the CN attribute is read (SI-21: never DC, OU or emailAddress). A CN is a candidate only
 * when it is printable ASCII and follows the same syntax as a presented dNSName; a subject with
 * several CNs yields none, because which one names the server would be a guess (fail closed).
 */
final class SubjectCommonNames {
  private SubjectCommonNames() {}

  static void collect(X509Certificate leaf, PresentedIdentifiers.Collector sink) {
    RDN[] rdns;
    try {
      rdns = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
    } catch (RuntimeException e) {
      sink.ignore("subject", "(malformed)", "the subject name could not be parsed: " + e.getMessage(), false);
      return;
    }
    int count = 0;
    for (RDN rdn : rdns) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (BCStyle.CN.equals(atv.getType())) {
          count++;
        }
      }
    }
    for (RDN rdn : rdns) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (BCStyle.CN.equals(atv.getType())) {
          consider(atv.getValue(), count, sink);
        }
      }
    }
  }

  private static void consider(ASN1Encodable value, int count, PresentedIdentifiers.Collector sink) {
    if (!(value instanceof ASN1String)) {
      sink.ignore("subject CN", "(not a string)", "not a directory string", false);
      return;
    }
    String text = ((ASN1String) value).getString();
    if (count > 1) {
      sink.ignore("subject CN", Printable.of(text), "the subject has " + count + " CNs; none is used", false);
      return;
    }
    if (!isVisibleAscii(text)) {
      sink.ignore("subject CN", Printable.of(text), "not printable ASCII", false);
      return;
    }
    String name = HostSyntax.asciiLowerCase(text);
    String reason = PresentedNameRules.checkHostName(name);
    if (reason != null) {
      sink.ignore("subject CN", Printable.of(text), "not a host name: " + reason, false);
      return;
    }
    sink.commonName(new PresentedIdentifier.Cn(name, name.startsWith("*.")));
  }

  private static boolean isVisibleAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return !s.isEmpty();
  }
}
