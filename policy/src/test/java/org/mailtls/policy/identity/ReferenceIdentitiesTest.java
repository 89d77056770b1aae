package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailtls.policy.identity.ReferenceIdentity.DnsId;
import org.mailtls.policy.identity.ReferenceIdentity.IpId;
import org.mailtls.policy.identity.ReferenceIdentity.SrvId;
import org.mailtls.testing.HeldCertificate;

/** Reference-identity construction, requirements.md B.2 (R7817-C-04, R7817-C-05, SI-01, SI-02, DISC-09). */
class ReferenceIdentitiesTest {
  private static final IdentityMatcher STRICT = IdentityMatcher.strict();

  /** The RFC 7817 §6 example (R7817-EX-01): user@example.net, IMAP on mail.example.net, discoverable by SRV. */
  private static final HeldCertificate RFC7817_EXAMPLE = HeldCertificate.builder()
      .subjectCommonName("mail.example.net")
      .addSrvName("_imap.example.net")
      .addSrvName("_imaps.example.net")
      .addDnsName("example.net")
      .addDnsName("mail.example.net")
      .build();

  @Test
  void build_rfc7817Example_srvDiscovered_referencesInOrder() {
    ReferenceIdentities refs = ReferenceIdentities.builder()
        .host("mail.example.net", HostProvenance.DNSSEC_SRV)
        .emailAddress("user@example.net")
        .service(MailService.IMAPS)
        .build();

    assertEquals(
        List.of("DNS-ID mail.example.net", "SRV-ID _imaps.example.net", "DNS-ID example.net"),
        refs.all().stream().map(Object::toString).toList());
    assertEquals(ReferenceSource.CONNECTED_HOST, refs.all().get(0).source());
    assertEquals(ReferenceSource.SRV_DISCOVERY, refs.all().get(1).source());
  }

  @Test
  void match_rfc7817Example_everyServiceOfTheExample_matches() {
    for (MailService service : List.of(MailService.IMAP, MailService.IMAPS)) {
      ReferenceIdentities refs = ReferenceIdentities.builder()
          .host("mail.example.net", HostProvenance.USER_APPROVED_FROM_SRV)
          .emailAddress("user@example.net")
          .service(service)
          .build();
      IdentityMatch m = STRICT.match(refs, RFC7817_EXAMPLE.certificate());
      assertTrue(m.isMatch(), m::message);
    }
  }

  /** R7817-C-05: an SRV-discovered account accepts a certificate that carries only the SRV-ID. */
  @Test
  void match_srvDiscovered_srvIdOnlyCertificate_matchesTheSrvId() {
    HeldCertificate cert = HeldCertificate.builder().addSrvName("_imaps.example.net").build();
    ReferenceIdentities refs = ReferenceIdentities.builder()
        .host("imap.hoster.example", HostProvenance.INSECURE_SRV)
        .emailDomain("example.net")
        .service(MailService.IMAPS)
        .build();

    IdentityMatch m = STRICT.match(refs, cert.certificate());

    assertTrue(m.isMatch(), m::message);
    assertEquals(MatchKind.SRV, ((IdentityMatch.Matched) m).kind());
    assertEquals("SRV-ID _imaps.example.net", ((IdentityMatch.Matched) m).reference().toString());
  }

  /** SI-02, DISC-09: a certificate matching an insecure SRV target proves nothing about the domain. */
  @Test
  void match_insecureSrvTarget_certificateForTargetOnly_refused() {
    HeldCertificate cert = HeldCertificate.builder().addDnsName("mail.provider.net").build();
    ReferenceIdentities refs = ReferenceIdentities.builder()
        .host("mail.provider.net", HostProvenance.INSECURE_SRV)
        .emailDomain("example.net")
        .service(MailService.IMAPS)
        .build();

    assertFalse(refs.all().stream().anyMatch(r -> r.toString().equals("DNS-ID mail.provider.net")));
    IdentityMatch m = STRICT.match(refs, cert.certificate());
    assertFalse(m.isMatch());
    assertTrue(m.message().contains("dNSName mail.provider.net"), m::message);
  }

  /** DISC-09: once the user approved the SRV target, it is configuration and a reference identity. */
  @Test
  void match_userApprovedSrvTarget_certificateForTarget_accepted() {
    HeldCertificate cert = HeldCertificate.builder().addDnsName("mail.provider.net").build();
    ReferenceIdentities refs = ReferenceIdentities.builder()
        .host("mail.provider.net", HostProvenance.USER_APPROVED_FROM_SRV)
        .emailDomain("example.net")
        .service(MailService.IMAPS)
        .build();

    assertTrue(STRICT.match(refs, cert.certificate()).isMatch());
  }

  /** R7817-C-04 (a): the email domain is a DNS-ID by default, and the switch turns it off. */
  @Test
  void match_emailDomainDnsId_switch_decides() {
    HeldCertificate cert = HeldCertificate.builder().addDnsName("example.net").build();
    ReferenceIdentities.Builder base = ReferenceIdentities.builder()
        .host("imap.example.net", HostProvenance.USER_TYPED)
        .emailAddress("user@example.net");

    assertTrue(STRICT.match(base.build(), cert.certificate()).isMatch());
    assertFalse(STRICT.match(base.emailDomainAsDnsId(false).build(), cert.certificate()).isMatch());
  }

  /** No SRV-ID for an account whose host was typed: the SRV-ID is for RFC 6186 accounts (R7817-C-05). */
  @Test
  void build_userTypedHost_noSrvId() {
    ReferenceIdentities refs = ReferenceIdentities.builder()
        .host("mail.example.net", HostProvenance.USER_TYPED)
        .emailAddress("user@example.net")
        .service(MailService.IMAPS)
        .build();

    assertTrue(refs.all().stream().noneMatch(r -> r instanceof SrvId));
    assertEquals(2, refs.dnsIds().size());
  }

  /** SI-18, B.2 step 5: an IP literal host is classified first and yields only an IP-ID. */
  @Test
  void build_ipLiteralHost_onlyIpId() {
    ReferenceIdentities v4 = ReferenceIdentities.builder()
        .host("192.0.2.7", HostProvenance.USER_TYPED).emailAddress("user@example.net").build();
    ReferenceIdentities v6 = ReferenceIdentities.forHost("[2001:DB8::1]");

    assertEquals(List.of(new IpId(IpAddress.parse("192.0.2.7"), ReferenceSource.CONNECTED_HOST)), v4.all());
    assertEquals("IP-ID 2001:db8::1", v6.all().get(0).toString());
  }

  /** SI-18: address-like strings that are not IP literals are neither IP-IDs nor DNS-IDs. */
  @Test
  void build_addressLikeHost_rejected() {
    for (String host : List.of("127.1", "0x7f.0.0.1", "192.0.2.7.", "1.2.3.4.5", "[::1", "fe80::1%eth0")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceIdentities.forHost(host), host);
      assertTrue(e.getMessage().length() > 10, e.getMessage());
    }
  }

  @Test
  void build_srvProvenanceWithoutDomainOrService_rejected() {
    assertThrows(IllegalStateException.class, () -> ReferenceIdentities.builder()
        .host("mail.example.net", HostProvenance.DNSSEC_SRV).service(MailService.IMAPS).build());
    assertThrows(IllegalStateException.class, () -> ReferenceIdentities.builder()
        .host("mail.example.net", HostProvenance.DNSSEC_SRV).emailDomain("example.net").build());
    assertThrows(IllegalStateException.class, () -> ReferenceIdentities.builder().build());
    assertThrows(IllegalStateException.class, () -> ReferenceIdentities.builder()
        .host("a.example", HostProvenance.USER_TYPED).host("b.example", HostProvenance.USER_TYPED));
  }

  @Test
  void build_hostEqualsEmailDomain_listedOnce() {
    ReferenceIdentities refs = ReferenceIdentities.builder()
        .host("Example.NET", HostProvenance.USER_TYPED).emailAddress("user@example.net").build();

    assertEquals(List.of(new DnsId(DnsName.parse("example.net"), ReferenceSource.CONNECTED_HOST)), refs.all());
  }

  @Test
  void emailAddress_malformed_rejected() {
    for (String bad : List.of("user", "@example.net", "user@", "user@exa mple.net")) {
      assertThrows(IllegalArgumentException.class, () -> ReferenceIdentities.builder().emailAddress(bad), bad);
    }
  }

  @Test
  void of_empty_rejected() {
    assertThrows(IllegalArgumentException.class, () -> ReferenceIdentities.of(List.of()));
  }
}
