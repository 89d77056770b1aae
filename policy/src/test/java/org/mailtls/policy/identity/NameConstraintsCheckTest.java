package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailtls.testing.HeldCertificate;

/**
 * Name constraints the JDK's PKIX does not apply: SRVName constraints in their three RFC 4985 §4
 * forms (SRV-07), dNSName constraints binding SRVName domains (SI-17), and a trust anchor's own
 * dNSName constraints.
 */
class NameConstraintsCheckTest {
  private static final String NAME_CONSTRAINTS = "2.5.29.30";

  /** A self-signed CA with the given constraints: "dns:x", "srv:x", "!dns:x" (excluded), "!srv:x". */
  private static HeldCertificate ca(String... constraints) throws Exception {
    List<GeneralSubtree> permitted = new ArrayList<>();
    List<GeneralSubtree> excluded = new ArrayList<>();
    for (String c : constraints) {
      boolean ex = c.startsWith("!");
      String kind = c.substring(ex ? 1 : 0, c.indexOf(':'));
      String value = c.substring(c.indexOf(':') + 1);
      GeneralName name = kind.equals("dns") ? new GeneralName(GeneralName.dNSName, value)
          : new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {
              new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.7"), new DERTaggedObject(true, 0, new DERIA5String(value))}));
      (ex ? excluded : permitted).add(new GeneralSubtree(name));
    }
    NameConstraints nc = new NameConstraints(permitted.isEmpty() ? null : permitted.toArray(GeneralSubtree[]::new),
        excluded.isEmpty() ? null : excluded.toArray(GeneralSubtree[]::new));
    return HeldCertificate.builder().subjectCommonName("Constrained CA").certificateAuthority(1)
        .addExtensionRaw(NAME_CONSTRAINTS, true, nc.getEncoded()).build();
  }

  private static Optional<NameConstraintsCheck.Violation> check(HeldCertificate ca, String... sans) {
    HeldCertificate.Builder b = HeldCertificate.builder().signedBy(ca);
    for (String s : sans) {
      if (s.startsWith("_")) {
        b.addSrvName(s);
      } else {
        b.addDnsName(s);
      }
    }
    return NameConstraintsCheck.check(List.of(ca.certificate()), b.build().certificate());
  }

  @ParameterizedTest(name = "constraint {0}, SRVName {1}: allowed {2}")
  @CsvSource({
      "srv:_imaps.example.com, _imaps.example.com, true",
      "srv:_imaps.example.com, _imaps.mail.example.com, true",
      "srv:_imaps.example.com, _pop3s.example.com, false",
      "srv:_imaps.example.com, _imaps.example.net, false",
      "srv:_imaps, _imaps.anything.example, true",
      "srv:_imaps, _pop3s.example.com, false",
      "srv:example.com, _pop3s.mail.example.com, true",
      "srv:example.com, _imaps.1example.com, false",
      "!srv:_imaps.evil.example, _imaps.evil.example, false",
      "!srv:_imaps.evil.example, _pop3s.evil.example, true",
      "!srv:evil.example, _pop3s.mx.evil.example, false",
  })
  void srv07_srvNameConstraints(String constraint, String srvName, boolean allowed) throws Exception {
    Optional<NameConstraintsCheck.Violation> v = check(ca(constraint), srvName);

    assertEquals(allowed, v.isEmpty(), () -> v.toString());
    v.ifPresent(x -> assertEquals("SRV-07", x.rule()));
  }

  /** SI-17: a CA constrained only in dNSName is held to it for SRVName domains too. */
  @ParameterizedTest(name = "dNSName constraint {0}, SRVName {1}: allowed {2}")
  @CsvSource({
      "dns:example.com, _imaps.example.com, true",
      "dns:example.com, _imaps.mail.example.com, true",
      "dns:example.com, _imaps.example.net, false",
      "!dns:evil.example, _imaps.mx.evil.example, false",
      "!dns:evil.example, _imaps.example.com, true",
  })
  void si17_dnsConstraintsBindSrvNames(String constraint, String srvName, boolean allowed) throws Exception {
    Optional<NameConstraintsCheck.Violation> v = check(ca(constraint), srvName);

    assertEquals(allowed, v.isEmpty(), () -> v.toString());
    v.ifPresent(x -> assertEquals("SI-17", x.rule()));
  }

  /** A CA with SRVName subtrees of its own: those, not its dNSName subtrees, decide for SRVNames. */
  @Test
  void si17_explicitSrvConstraintsTakePrecedenceOverDnsOnes() throws Exception {
    assertTrue(check(ca("dns:example.com", "srv:_imaps.hoster.example"), "_imaps.hoster.example").isEmpty());
  }

  @ParameterizedTest(name = "anchor constraint {0}, dNSName {1}: allowed {2}")
  @CsvSource({
      "dns:example.com, mail.example.com, true",
      "dns:example.com, example.com, true",
      "dns:example.com, *.example.com, true",
      "dns:example.com, mail.example.net, false",
      "dns:example.com, mail.notexample.com, false",
      "dns:.example.com, example.com, false",
      "dns:.example.com, mail.example.com, true",
      "!dns:secret.example.com, imap.secret.example.com, false",
  })
  void anchorDnsConstraints(String constraint, String dnsName, boolean allowed) throws Exception {
    Optional<NameConstraintsCheck.Violation> v = check(ca(constraint), dnsName);

    assertEquals(allowed, v.isEmpty(), () -> v.toString());
    v.ifPresent(x -> assertEquals("R8314-C-25", x.rule()));
  }

  @Test
  void violationMessage_namesTheCaTheConstraintAndTheName() throws Exception {
    String m = check(ca("dns:example.com"), "_imaps.example.net").orElseThrow().message();

    assertTrue(m.contains("SRVName _imaps.example.net"), m);
    assertTrue(m.contains("[example.com]"), m);
    assertTrue(m.contains("Constrained CA"), m);
  }

  @Test
  void unconstrainedCa_noViolation() throws Exception {
    HeldCertificate plain = HeldCertificate.builder().subjectCommonName("CA").certificateAuthority(1).build();

    assertTrue(check(plain, "_imaps.example.net", "mail.example.net").isEmpty());
  }

  @Test
  void unparsableConstraintsExtension_failsClosed() throws Exception {
    HeldCertificate broken = HeldCertificate.builder().subjectCommonName("Broken CA").certificateAuthority(1)
        .addExtensionRaw(NAME_CONSTRAINTS, true, new byte[] {0x30, 0x03, (byte) 0xa0, 0x01, 0x00}).build();

    Optional<NameConstraintsCheck.Violation> v = check(broken, "mail.example.net");

    assertTrue(v.isPresent());
    assertTrue(v.get().message().contains("cannot be parsed"), v.get().message());
  }
}
