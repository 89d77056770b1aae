package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.EqualsTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailtls.testing.HeldCertificate;

/** IP-IDs (SI-09, SI-18): literal parsing without DNS and octet equality. */
class IpAddressTest {

  @Test
  void parse_ipv4_fourOctets() {
    assertArrayEquals(new byte[] {(byte) 192, 0, 2, 7}, IpAddress.parse("192.0.2.7").octets());
  }

  @Test
  void parse_ipv6Forms_sameAddress() {
    new EqualsTester()
        .addEqualityGroup(IpAddress.parse("2001:db8::1"), IpAddress.parse("2001:0DB8:0:0:0:0:0:1"), IpAddress.parse("[2001:db8::1]"))
        .addEqualityGroup(IpAddress.parse("192.0.2.7"), IpAddress.ofOctets(new byte[] {(byte) 192, 0, 2, 7}))
        .testEquals();
    assertEquals("2001:db8::1", IpAddress.parse("2001:0DB8:0:0:0:0:0:1").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.1", "0x7f.0.0.1", "0177.0.0.1", "192.168.1.01", "256.0.0.1", "1.2.3", "fe80::1%eth0",
      "mail.example.net", "", "[]", "::ffff:1.2.3.4.5", "[1.2.3.4]"})
  void tryParse_notALiteral_empty(String s) {
    assertFalse(IpAddress.tryParse(s).isPresent(), s);
  }

  /** SI-09: an IPv4-mapped IPv6 literal stays 16 octets; it is not the IPv4 address. */
  @Test
  void parse_ipv4MappedIpv6_keepsSixteenOctets() {
    IpAddress mapped = IpAddress.parse("::ffff:192.0.2.7");

    assertEquals(16, mapped.octets().length);
    assertEquals("::ffff:c000:207", mapped.toString());
    assertFalse(mapped.equals(IpAddress.parse("192.0.2.7")));
  }

  @Test
  void ofOctets_wrongLength_rejected() {
    assertThrows(IllegalArgumentException.class, () -> IpAddress.ofOctets(new byte[8]));
  }

  @Test
  void octets_defensiveCopy() {
    IpAddress a = IpAddress.parse("192.0.2.7");
    a.octets()[0] = 1;
    assertEquals("192.0.2.7", a.toString());
  }

  /** SI-09: a 16-octet IPv4-mapped SAN is not the 4-octet IPv4 reference (octet equality, no mapping). */
  @Test
  void match_ipv4ReferenceAgainstMappedIpv6San_noMatch() {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 192;
    mapped[14] = 2;
    mapped[15] = 7;
    HeldCertificate cert = HeldCertificate.builder().addIpAddressOctets(mapped).build();

    IdentityMatch m = IdentityMatcher.strict().match(ReferenceIdentities.forHost("192.0.2.7"), cert.certificate());

    assertFalse(m.isMatch());
    assertTrue(m.message().contains("presented (subjectAltName):\n    iPAddress ::ffff:c000:207"), m::message);
  }

  /** RFC 5280: 8- and 32-octet iPAddress values are name-constraint forms, never identities. */
  @Test
  void presented_networkFormIpAddress_ignored() {
    HeldCertificate cert = HeldCertificate.builder()
        .addIpAddressOctets(new byte[] {(byte) 192, 0, 2, 7, (byte) 255, (byte) 255, (byte) 255, 0}).build();

    PresentedIdentifiers p = PresentedIdentifiers.from(cert.certificate());

    assertTrue(p.subjectAltNames().isEmpty());
    assertEquals("iPAddress", p.ignored().get(0).kind());
  }
}
