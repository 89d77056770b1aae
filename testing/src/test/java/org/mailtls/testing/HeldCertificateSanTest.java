package org.mailtls.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.testing.CertAsserts.bytes;
import static org.mailtls.testing.CertAsserts.hex;
import static org.mailtls.testing.CertAsserts.sanEntry;
import static org.mailtls.testing.CertAsserts.sanSequence;
import static org.mailtls.testing.CertAsserts.sanValue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.OtherName;
import org.junit.jupiter.api.Test;

class HeldCertificateSanTest {
  private static final String SAN_OID = "2.5.29.17";

  private static HeldCertificate.Builder named() {
    return HeldCertificate.builder().subjectCommonName("mail.example.net");
  }

  @Test
  void build_wellFormedSans_readBackByJdkInOrder() throws Exception {
    HeldCertificate held = named()
        .addDnsName("mail.example.net")
        .addIpAddress("192.0.2.25")
        .addRfc822Name("postmaster@example.net")
        .addUri("imaps://mail.example.net")
        .build();

    Collection<List<?>> names = held.certificate().getSubjectAlternativeNames();

    List<List<?>> expected = List.of(
        List.of(2, "mail.example.net"),
        List.of(7, "192.0.2.25"),
        List.of(1, "postmaster@example.net"),
        List.of(6, "imaps://mail.example.net"));
    assertEquals(expected, new ArrayList<>(names));
  }

  @Test
  void build_hostileDnsNames_writtenVerbatimAsIa5() throws Exception {
    List<String> hostile = List.of("*.*.net", "a..b", "mail.example.net.", "", "UPPER.Example",
        "sp ace", "*");
    HeldCertificate.Builder builder = named();
    hostile.forEach(builder::addDnsName);
    HeldCertificate held = builder.build();

    ASN1Sequence seq = sanSequence(held);
    assertEquals(hostile.size(), seq.size());
    for (int i = 0; i < hostile.size(); i++) {
      GeneralName name = GeneralName.getInstance(seq.getObjectAt(i));
      assertEquals(GeneralName.dNSName, name.getTagNo());
      assertEquals(hostile.get(i), ASN1IA5String.getInstance(name.getName()).getString());
      byte[] ascii = hostile.get(i).getBytes(StandardCharsets.US_ASCII);
      byte[] expected = new byte[ascii.length + 2];
      expected[0] = (byte) 0x82;
      expected[1] = (byte) ascii.length;
      System.arraycopy(ascii, 0, expected, 2, ascii.length);
      assertArrayEquals(expected, sanEntry(held, i), hex(sanEntry(held, i)));
    }
  }

  @Test
  void build_srvNameSan_encodedPerRfc4985() throws Exception {
    String srv = "_imaps.example.net";
    HeldCertificate held = named().addSrvName(srv).build();

    byte[] entry = sanEntry(held, 0);
    int n = srv.length();
    String expected = "A0" + String.format("%02X", n + 14)
        + "06082B06010505070807"
        + "A0" + String.format("%02X", n + 2)
        + "16" + String.format("%02X", n) + hex(srv.getBytes(StandardCharsets.US_ASCII));
    assertEquals(expected, hex(entry));

    OtherName other = OtherName.getInstance(
        ASN1TaggedObject.getInstance(entry).getBaseUniversal(false, 16));
    assertEquals(SanEncoder.SRV_NAME_OID, other.getTypeID().getId());
    assertEquals(srv, ASN1IA5String.getInstance(other.getValue()).getString());
  }

  @Test
  void build_srvNameUtf8San_usesUtf8StringTag() throws Exception {
    String srv = "_submission._tcp.exämple.net";
    HeldCertificate held = named().addSrvNameUtf8(srv).build();

    byte[] entry = sanEntry(held, 0);
    byte[] utf8 = srv.getBytes(StandardCharsets.UTF_8);
    assertEquals("06082B06010505070807", hex(entry).substring(4, 24));
    assertEquals("A0" + String.format("%02X", utf8.length + 2) + "0C"
        + String.format("%02X", utf8.length) + hex(utf8), hex(entry).substring(24));
    OtherName other = OtherName.getInstance(
        ASN1TaggedObject.getInstance(entry).getBaseUniversal(false, 16));
    assertEquals(srv, ASN1UTF8String.getInstance(other.getValue()).getString());
  }

  @Test
  void build_ipAddressLiterals_encodedAsFourOrSixteenOctets() throws Exception {
    HeldCertificate held = named()
        .addIpAddress("192.0.2.1")
        .addIpAddress("2001:db8::1")
        .addIpAddress("::ffff:192.0.2.1")
        .addIpAddress("::1")
        .build();

    assertEquals("8704C0000201", hex(sanEntry(held, 0)));
    assertEquals("871020010DB8000000000000000000000001", hex(sanEntry(held, 1)));
    assertEquals("871000000000000000000000FFFFC0000201", hex(sanEntry(held, 2)));
    assertEquals("871000000000000000000000000000000001", hex(sanEntry(held, 3)));
  }

  @Test
  void build_ipAddressOctets_anyLengthWrittenVerbatim() throws Exception {
    HeldCertificate held = named()
        .addIpAddressOctets(new byte[] {10, 0, 0, 1, 24})
        .addIpAddressOctets(new byte[0])
        .build();

    assertEquals("87050A00000118", hex(sanEntry(held, 0)));
    assertEquals("8700", hex(sanEntry(held, 1)));
  }

  @Test
  void addIpAddress_notALiteral_throwsIllegalArgumentNamingValue() {
    for (String bad : new String[] {"mail.example.net", "999.0.0.1", "", "1.2.3", "fe80::1%eth0"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> HeldCertificate.builder().addIpAddress(bad), bad);
      assertTrue(e.getMessage().contains(bad), e.getMessage());
    }
  }

  @Test
  void build_otherNameWithMalformedValue_bytesLandVerbatim() throws Exception {
    byte[] malformed = {0x04, 0x05, 0x01}; // OCTET STRING claiming 5 bytes, holding 1
    HeldCertificate held = named()
        .addOtherName("1.3.6.1.4.1.99999.1", malformed)
        .criticalSubjectAltName(true)
        .build();

    byte[] oid = bytes("06092B06010401868D1F01");
    byte[] expected = SanEncoder.tlv(0x30,
        SanEncoder.tlv(0xA0, oid, SanEncoder.tlv(0xA0, malformed)));
    assertEquals(hex(expected), hex(sanValue(held)));
  }

  @Test
  void addOtherName_badOid_throwsIllegalArgumentNamingValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HeldCertificate.builder().addOtherName("not-an-oid", new byte[] {5, 0}));
    assertTrue(e.getMessage().contains("not-an-oid"), e.getMessage());
  }

  @Test
  void build_sanRaw_appendedVerbatimAfterOtherEntries() {
    byte[] nulInName = {(byte) 0x82, 0x05, 'a', 0x00, 'b', (byte) 0xFF, 'c'};
    byte[] truncated = {(byte) 0x87, 0x10, 1, 2};
    HeldCertificate held = named()
        .addDnsName("a.example")
        .addSanRaw(nulInName)
        .addSanRaw(truncated)
        .build();

    byte[] expected = SanEncoder.tlv(0x30,
        bytes("8209612E6578616D706C65"), nulInName, truncated);
    assertEquals(hex(expected), hex(sanValue(held)));
  }

  @Test
  void build_subjectAltNameExtensionRaw_bytesLandVerbatim() throws Exception {
    for (byte[] raw : new byte[][] {{0x30, 0x00}, {0x01, 0x02, 0x03}, {}}) {
      HeldCertificate held = named().subjectAltNameExtensionRaw(raw).build();

      assertEquals(hex(raw), hex(sanValue(held)));
      assertArrayEquals(new DEROctetString(raw).getEncoded(),
          held.certificate().getExtensionValue(SAN_OID));
    }
  }

  @Test
  void build_criticalGarbageSan_stillYieldsACertificate() throws Exception {
    byte[] garbage = {0x30, 0x03, (byte) 0x82, 0x05, 'x'};
    HeldCertificate held = HeldCertificate.builder()
        .subjectAltNameExtensionRaw(garbage)
        .build();

    assertTrue(held.certificate().getCriticalExtensionOIDs().contains(SAN_OID));
    assertEquals(hex(garbage), hex(sanValue(held)));
    CertificateFactory jdk = CertificateFactory.getInstance("X.509");
    assertThrows(Exception.class,
        () -> jdk.generateCertificate(new ByteArrayInputStream(held.certificateDer())));
  }

  @Test
  void build_rawSanAndAddedEntries_throwsIllegalState() {
    HeldCertificate.Builder builder = named()
        .subjectAltNameExtensionRaw(new byte[] {0x30, 0x00})
        .addDnsName("mail.example.net");

    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertTrue(e.getMessage().contains("subjectAltNameExtensionRaw"), e.getMessage());
  }

  @Test
  void build_sanCriticality_criticalIffSubjectEmptyUnlessOverridden() {
    HeldCertificate emptySubject = HeldCertificate.builder().addDnsName("a.example").build();
    HeldCertificate withCn = named().addDnsName("a.example").build();
    HeldCertificate forced = named().addDnsName("a.example").criticalSubjectAltName(true).build();
    HeldCertificate relaxed = HeldCertificate.builder()
        .addDnsName("a.example").criticalSubjectAltName(false).build();

    assertEquals("", emptySubject.certificate().getSubjectX500Principal().getName());
    assertTrue(emptySubject.certificate().getCriticalExtensionOIDs().contains(SAN_OID));
    assertTrue(withCn.certificate().getNonCriticalExtensionOIDs().contains(SAN_OID));
    assertTrue(forced.certificate().getCriticalExtensionOIDs().contains(SAN_OID));
    assertTrue(relaxed.certificate().getNonCriticalExtensionOIDs().contains(SAN_OID));
  }

  @Test
  void build_noSan_hasNoSanExtensionAndCriticalityFlagConflicts() {
    HeldCertificate held = named().build();

    assertNull(held.certificate().getExtensionValue(SAN_OID));
    assertThrows(IllegalStateException.class,
        () -> named().criticalSubjectAltName(true).build());
  }

  @Test
  void addSanMethods_nullArguments_throwIllegalArgumentNamingParameter() {
    HeldCertificate.Builder b = HeldCertificate.builder();
    assertEquals("name must not be null",
        assertThrows(IllegalArgumentException.class, () -> b.addDnsName(null)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.addIpAddress(null));
    assertThrows(IllegalArgumentException.class, () -> b.addIpAddressOctets(null));
    assertThrows(IllegalArgumentException.class, () -> b.addSrvName(null));
    assertThrows(IllegalArgumentException.class, () -> b.addSrvNameUtf8(null));
    assertThrows(IllegalArgumentException.class, () -> b.addOtherName("1.2.3", null));
    assertThrows(IllegalArgumentException.class, () -> b.addUri(null));
    assertThrows(IllegalArgumentException.class, () -> b.addRfc822Name(null));
    assertThrows(IllegalArgumentException.class, () -> b.addSanRaw(null));
    assertThrows(IllegalArgumentException.class, () -> b.subjectAltNameExtensionRaw(null));
    assertNull(b.build().certificate().getExtensionValue(SAN_OID), "rejected calls added nothing");
  }
}
