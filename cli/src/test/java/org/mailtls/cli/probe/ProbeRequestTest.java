package org.mailtls.cli.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.identity.MailService;
import org.mailtls.provider.JsseEngine;

/** The probe's command-line rules: port and service default from each other; one-line usage errors. */
class ProbeRequestTest {

  private static ProbeRequest of(String target, String service, boolean startTls) throws UsageException {
    return ProbeRequest.of(target, service, startTls, null, null, "BCJSSE", null, "10");
  }

  @Test
  void portAndService_defaultFromEachOther() throws Exception {
    assertEquals(List.of(993, 995, 465, 143, 110, 587), List.of(
        of("h", "imaps", false).port(), of("h", "pop3s", false).port(), of("h", "submissions", false).port(),
        of("h", "imap", false).port(), of("h", "pop3", false).port(), of("h", "submission", false).port()));
    assertEquals(List.of(MailService.IMAPS, MailService.POP3S, MailService.SUBMISSIONS, MailService.IMAP,
        MailService.POP3, MailService.SUBMISSION), List.of(
        of("h:993", null, false).service(), of("h:995", null, false).service(), of("h:465", null, false).service(),
        of("h:143", null, false).service(), of("h:110", null, false).service(), of("h:587", null, false).service()));
    assertEquals(MailService.IMAPS, of("h", null, false).service(), "nothing given: imaps on 993");
    assertEquals(MailService.IMAP, of("h", null, true).service(), "--starttls alone: imap on 143");
    assertEquals(4993, of("h:4993", "imaps", false).port(), "an explicit port wins");
  }

  @Test
  void startTls_impliedForStartTlsServices_andImplicitPartnerPortDefaults() throws Exception {
    ProbeRequest imap = of("h", "imap", false);
    assertTrue(imap.startTls());
    assertEquals(993, imap.implicitPort());
    assertEquals(995, of("h", "pop3", false).implicitPort());
    assertEquals(465, of("h", "submission", false).implicitPort());
    assertFalse(of("h", "imaps", false).startTls());
    assertEquals(1234, ProbeRequest.of("h", "imap", false, null, null, "BCJSSE", "1234", "10").implicitPort());
  }

  @Test
  void ipv6Targets() throws Exception {
    ProbeRequest bracketed = of("[::1]:993", null, false);
    assertEquals("::1", bracketed.host());
    assertEquals(993, bracketed.port());
    assertEquals("[::1]:993", bracketed.address());
    ProbeRequest bare = of("2001:db8::1", "imaps", false);
    assertEquals("2001:db8::1", bare.host());
    assertEquals(993, bare.port());
  }

  @Test
  void email_accountHasBothEndpointsForStartTls() throws Exception {
    ProbeRequest r = ProbeRequest.of("mail.example.net:143", null, false, "user@example.net", null, "SunJSSE", null,
        "5");
    assertEquals(JsseEngine.SUNJSSE, r.engine());
    assertEquals(5, r.timeout().toSeconds());
    assertEquals(List.of(MailEndpoint.of("mail.example.net", MailService.IMAP),
        MailEndpoint.of("mail.example.net", MailService.IMAPS)), r.account().orElseThrow().endpoints());
    assertEquals(List.of("DNS-ID mail.example.net (the host connected to)", "DNS-ID example.net (the email domain)"),
        Prober.references(r), "a typed host adds no SRV-ID (only RFC 6186 discovery does)");
  }

  @Test
  void usageErrors_oneLineEach() {
    for (String[] bad : new String[][] {{"h:99999", null}, {"h:", null}, {"h:12a", null}, {"h", "smtp"},
        {"h", "sieve"}, {"h:4321", null}, {"[::1", null}, {"[::1]x", null}, {":993", null}, {"a..b", "imaps"}}) {
      UsageException e = assertThrows(UsageException.class, () -> of(bad[0], bad[1], false), bad[0]);
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    assertThrows(UsageException.class, () -> of("h:993", null, true), "--starttls with imaps");
    assertThrows(UsageException.class, () -> of("h", "pop3s", true), "--starttls with pop3s");
    assertThrows(UsageException.class,
        () -> ProbeRequest.of("h", "imap", false, null, null, "BCJSSE", "0", "10"), "bad --implicit-port");
    assertThrows(UsageException.class,
        () -> ProbeRequest.of("h", "imap", false, null, null, "BCJSSE", null, "301"), "bad --timeout");
    assertThrows(UsageException.class,
        () -> ProbeRequest.of("h", "imap", false, "nobody", null, "BCJSSE", null, "10"), "bad --email");
  }
}
