package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mailtls.testing.HeldCertificate;

/** Error messages name the reference identifiers, the presented ones, the ignored ones and the fix (house style §8, SI-12, SI-13). */
class MismatchMessageTest {

  @Test
  void message_mismatch_namesEverythingNeededToFixIt() {
    HeldCertificate cert = HeldCertificate.builder()
        .subjectCommonName("mail.example.net")
        .addDnsName("www.example.org")
        .addDnsName("f*o.example.net")
        .addUri("imap://mail.example.net")
        .build();
    ReferenceIdentities refs = ReferenceIdentities.builder()
        .host("mail.example.net", HostProvenance.USER_TYPED).emailAddress("user@example.net").build();

    String msg = IdentityMatcher.strict().match(refs, cert.certificate()).message();

    assertEquals(
        "server certificate does not match any reference identity (RFC 7817 §3, RFC 9525 §6)\n"
            + "  expected (reference identities):\n"
            + "    DNS-ID mail.example.net (the host connected to)\n"
            + "    DNS-ID example.net (the email domain)\n"
            + "  presented (subjectAltName):\n"
            + "    dNSName www.example.org\n"
            + "    subject CN mail.example.net (not used: RFC 9525 §2 forbids CN-IDs)\n"
            + "  ignored:\n"
            + "    dNSName \"f*o.example.net\": '*' is allowed only as the whole left-most label (RFC 9525 §6.3, RFC 7817 §3 rule 5)\n"
            + "    URI \"imap://mail.example.net\": URI-IDs are never used for mail (RFC 7817 §3 rule 3)\n"
            + "  fix: ask the server operator for a certificate that lists DNS-ID mail.example.net, or correct the host"
            + " name configured for this account if it is wrong",
        msg);
  }

  @Test
  void message_cnOnlyCertificate_adviceNamesTheLegacySwitchAsLastResort() {
    HeldCertificate cert = HeldCertificate.builder().subjectCommonName("mail.example.net").build();

    String msg = IdentityMatcher.strict().match(ReferenceIdentities.forHost("mail.example.net"), cert.certificate()).message();

    assertTrue(msg.contains("none: the certificate has no subjectAltName extension"), msg);
    assertTrue(msg.contains("names the server only in its subject CN"), msg);
    assertTrue(msg.contains("legacy CN matching"), msg);
  }

  @Test
  void message_match_namesReferenceAndPresented() {
    HeldCertificate cert = HeldCertificate.builder().addDnsName("*.example.net").build();

    IdentityMatch m = IdentityMatcher.strict().match(ReferenceIdentities.forHost("mail.example.net"), cert.certificate());

    assertEquals("server identity verified: DNS-ID mail.example.net (the host connected to) matched dNSName *.example.net", m.message());
  }

  @Test
  void message_legacyCnMatch_saysItIsLegacy() {
    HeldCertificate cert = HeldCertificate.builder().subjectCommonName("mail.example.net").build();

    IdentityMatch m = IdentityMatcher.of(IdentityPolicy.builder().legacyCommonName(true).build())
        .match(ReferenceIdentities.forHost("mail.example.net"), cert.certificate());

    assertTrue(m.isMatch());
    assertTrue(m.message().contains("legacy CN-ID"), m.message());
    assertFalse(m.message().contains("fix:"));
  }

  /** SI-02: the advice for an unsigned SRV target is to get the host approved, not to fix the name. */
  @Test
  void message_insecureSrvHost_adviceIsApproval() {
    ReferenceIdentities refs = ReferenceIdentities.builder()
        .host("mail.hoster.example", HostProvenance.INSECURE_SRV).emailAddress("user@example.net")
        .service(MailService.IMAPS).build();
    HeldCertificate cert = HeldCertificate.builder().addDnsName("mail.hoster.example").build();

    String msg = IdentityMatcher.strict().match(refs, cert.certificate()).message();

    assertTrue(msg.contains("fix: the host mail.hoster.example came from an SRV answer"), msg);
    assertEquals("mail.hoster.example", refs.unapprovedHost().orElseThrow().ascii());
  }

  /** SRV-08: an SRVName for the partner service points at the bundle switch. */
  @Test
  void message_partnerServiceSrvName_adviceNamesBundles() {
    ReferenceIdentities refs = ReferenceIdentities.builder()
        .host("mail.example.net", HostProvenance.DNSSEC_SRV).emailAddress("user@example.net")
        .service(MailService.IMAPS).build();
    HeldCertificate cert = HeldCertificate.builder().addSrvName("_imap.example.net").build();

    String msg = IdentityMatcher.strict().match(refs, cert.certificate()).message();

    assertTrue(msg.contains("SRVName _imap.example.net names the other service"), msg);
    assertTrue(msg.contains("SRV service bundles"), msg);
  }
}
