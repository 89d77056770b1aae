package org.mailtls.cli;

import java.util.List;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.MailService;
import org.mailtls.policy.identity.ReferenceIdentities;
import org.mailtls.testing.Der;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/** One demo case: an account's reference identities, a server certificate, and what MailTLS should decide. */
record DemoScenario(String title, ReferenceIdentities references, HeldCertificate certificate, boolean legacyCn,
    boolean shouldMatch) {

  static List<DemoScenario> all(TestPki pki) {
    ReferenceIdentities discovered = ReferenceIdentities.builder()
        .host("mail.example.net", HostProvenance.DNSSEC_SRV).emailAddress("user@example.net")
        .service(MailService.IMAPS).build();
    ReferenceIdentities typed = ReferenceIdentities.builder()
        .host("mail.example.net", HostProvenance.USER_TYPED).emailAddress("user@example.net").build();
    ReferenceIdentities insecure = ReferenceIdentities.builder()
        .host("mail.hoster.example", HostProvenance.INSECURE_SRV).emailAddress("user@example.net")
        .service(MailService.IMAPS).build();
    return List.of(
        new DemoScenario("RFC 7817 §6 example certificate", discovered,
            pki.leaf().subjectCommonName("mail.example.net").addSrvName("_imap.example.net")
                .addSrvName("_imaps.example.net").addDnsName("example.net").addDnsName("mail.example.net").build(),
            false, true),
        new DemoScenario("only the SRV-ID _imaps.example.net (RFC 4985)", discovered,
            pki.leaf().addSrvName("_imaps.example.net").build(), false, true),
        new DemoScenario("wildcard *.example.net", typed, pki.leaf().addDnsName("*.example.net").build(), false, true),
        new DemoScenario("IDN: reference bücher.example, SAN xn--bcher-kva.example",
            ReferenceIdentities.forHost("bücher.example"), pki.leaf().addDnsName("xn--bcher-kva.example").build(),
            false, true),
        new DemoScenario("wrong name www.example.org", typed, pki.leaf().addDnsName("www.example.org").build(),
            false, false),
        new DemoScenario("partial-label wildcard m*.example.net", typed,
            pki.leaf().addDnsName("m*.example.net").build(), false, false),
        new DemoScenario("wildcard over a public suffix *.co.uk", ReferenceIdentities.forHost("mail.example.co.uk"),
            pki.leaf().addDnsName("*.co.uk").build(), false, false),
        new DemoScenario("name only in the subject CN", typed, pki.leaf().subjectCommonName("mail.example.net").build(),
            false, false),
        new DemoScenario("same, with the account's legacy-CN switch on", typed,
            pki.leaf().subjectCommonName("mail.example.net").build(), true, true),
        new DemoScenario("SRV-ID of the STARTTLS service _imap (not _imaps)", discovered,
            pki.leaf().addSrvName("_imap.example.net").build(), false, false),
        new DemoScenario("unsigned SRV target: cert for mail.hoster.example", insecure,
            pki.leaf().addDnsName("mail.hoster.example").build(), false, false),
        new DemoScenario("URI SAN imap://mail.example.net (RFC 7817 forbids)", typed,
            pki.leaf().addUri("imap://mail.example.net").build(), false, false),
        new DemoScenario("hostile: NUL byte in mail.example.net\\0.evil.example", typed,
            pki.leaf().addSanRaw(nulName()).build(), false, false));
  }

  /** A dNSName GeneralName ([2] IA5String) whose bytes hide a NUL. */
  private static byte[] nulName() {
    return Der.tlv(0x82, "mail.example.net\0.evil.example".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}
