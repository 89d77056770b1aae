package org.mailtls.policy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.mailtls.policy.server.CertificateFinding.Severity;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;
import org.mailtls.testing.SignatureAlgorithm;
import org.mailtls.testing.TestPki;

/** R8314-S-18, R8314-S-19: the start-up check of a server's certificate, on a fixed clock. */
class ServerCertificateCheckTest {
  private static final Instant NOW = Instant.parse("2031-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  /** CAs minted 400 days before NOW, as real CAs predate their leaves. */
  private static final TestPki PKI =
      TestPki.create(KeyType.EC_P256, Clock.fixed(NOW.minus(Duration.ofDays(400)), ZoneOffset.UTC));
  private static final Set<TrustAnchor> ANCHORS = Set.of(new TrustAnchor(PKI.root().certificate(), null));
  private static final String MAIL = "mail.example.net";
  private static final ServerCertificateCheck WITH_ANCHORS =
      ServerCertificateCheck.builder(CLOCK).trustAnchors(ANCHORS).build();
  private static final ServerCertificateCheck NO_ANCHORS = ServerCertificateCheck.builder(CLOCK).build();

  private static HeldCertificate.Builder leaf(Duration notBeforeOffset, Duration notAfterOffset) {
    return PKI.leaf().subjectCommonName(MAIL).addDnsName(MAIL).validity(NOW.plus(notBeforeOffset), NOW.plus(notAfterOffset));
  }

  private static HeldCertificate good() {
    return leaf(Duration.ofDays(-10), Duration.ofDays(80)).build();
  }

  /** As a server sends it: leaf and intermediate, no root. */
  private static List<X509Certificate> sent(HeldCertificate leaf) {
    return leaf.chain().subList(0, leaf.chain().size() - 1);
  }

  private static CertificateFinding only(List<CertificateFinding> findings, Severity severity) {
    assertEquals(1, findings.size(), findings::toString);
    assertEquals(severity, findings.get(0).severity(), findings::toString);
    assertEquals("R8314-S-18", findings.get(0).rule());
    return findings.get(0);
  }

  private static void assertContains(CertificateFinding f, String... parts) {
    Supplier<String> text = f::toString;
    for (String p : parts) {
      assertTrue(f.toString().contains(p), () -> "missing \"" + p + "\" in " + text.get());
    }
  }

  @Test
  void check_validCompleteCoveringChain_noFindings() {
    assertEquals(List.of(), WITH_ANCHORS.check(sent(good()), List.of(MAIL, "MAIL.example.net.")));
    assertEquals(List.of(), NO_ANCHORS.check(sent(good()), List.of(MAIL)));
  }

  @Test
  void check_expiredLeaf_errorNamingTheDateAndTheFix() {
    List<CertificateFinding> f = WITH_ANCHORS.check(sent(leaf(Duration.ofDays(-100), Duration.ofDays(-3)).build()),
        List.of(MAIL));

    assertContains(only(f, Severity.ERROR), "certificate 0 (CN=", "expired at 2031-02-26T12:00:00Z", "3 days ago",
        "renew it");
  }

  @Test
  void check_notYetValidLeaf_error() {
    List<CertificateFinding> f = WITH_ANCHORS.check(sent(leaf(Duration.ofDays(2), Duration.ofDays(90)).build()),
        List.of(MAIL));

    assertContains(only(f, Severity.ERROR), "is not valid before 2031-03-03T12:00:00Z", "server's clock");
  }

  @Test
  void check_expiringWithinWindow_warningOnly() {
    HeldCertificate soon = leaf(Duration.ofDays(-60), Duration.ofDays(10)).build();

    assertContains(only(WITH_ANCHORS.check(sent(soon), List.of(MAIL)), Severity.WARNING), "in 10 days",
        "warning window 30 days", "renew it before then");
    ServerCertificateCheck shortWindow = ServerCertificateCheck.builder(CLOCK).warningWindow(Duration.ofDays(5)).build();
    assertEquals(List.of(), shortWindow.check(sent(soon), List.of(MAIL)));
  }

  @Test
  void check_intermediateExpiringSoon_warningAboutCertificate1() {
    HeldCertificate shortCa = HeldCertificate.builder().clock(CLOCK).subjectCommonName("Short CA")
        .certificateAuthority(0).validity(NOW.minus(Duration.ofDays(300)), NOW.plus(Duration.ofDays(20)))
        .signedBy(PKI.root()).build();
    HeldCertificate l = HeldCertificate.builder().clock(CLOCK).addDnsName(MAIL).signedBy(shortCa)
        .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(15))).build();
    List<CertificateFinding> f = WITH_ANCHORS.check(sent(l), List.of(MAIL));

    assertEquals(2, f.size(), f::toString);
    assertContains(f.get(0), "WARNING", "certificate 0", "in 15 days");
    assertContains(f.get(1), "WARNING", "certificate 1 (CN=Short CA)", "in 20 days");
  }

  @Test
  void check_missingIntermediate_errorWithAnchors_skippedWithout() {
    List<X509Certificate> leafOnly = List.of(good().certificate());

    assertContains(only(WITH_ANCHORS.check(leafOnly, List.of(MAIL)), Severity.ERROR),
        "does not build to a trust anchor", "intermediate CA certificates after the leaf");
    assertEquals(List.of(), NO_ANCHORS.check(leafOnly, List.of(MAIL)));
  }

  @Test
  void check_chainFromAnotherPki_error() {
    TestPki other = TestPki.create(KeyType.EC_P256, CLOCK);
    HeldCertificate foreign = other.leaf().addDnsName(MAIL).clock(CLOCK).validFor(Duration.ofDays(90)).build();

    assertContains(only(WITH_ANCHORS.check(sent(foreign), List.of(MAIL)), Severity.ERROR),
        "does not build to a trust anchor");
  }

  /** The date findings stay separate: an expired leaf of a complete chain is not also "incomplete". */
  @Test
  void check_expiredLeafCompleteChain_noChainFinding() {
    List<CertificateFinding> f = WITH_ANCHORS.check(sent(leaf(Duration.ofDays(-100), Duration.ofDays(-3)).build()),
        List.of(MAIL));
    assertTrue(f.stream().noneMatch(x -> x.message().contains("trust anchor")), f::toString);
  }

  @Test
  void check_configuredNameNotCovered_errorPerNameListingWhatThePresents() {
    HeldCertificate wildcard = PKI.leaf().addDnsName("*.example.net").addIpAddress("192.0.2.25")
        .clock(CLOCK).validFor(Duration.ofDays(90)).build();

    List<CertificateFinding> f = WITH_ANCHORS.check(sent(wildcard),
        List.of("imap.example.net", "192.0.2.25", "example.net", "mail.example.org", "a.b.example.net"));

    assertEquals(3, f.size(), f::toString);
    assertContains(f.get(0), "ERROR R8314-S-18 name example.net", "dNSName *.example.net, iPAddress 192.0.2.25",
        "add the name to the certificate's subjectAltName");
    assertContains(f.get(1), "name mail.example.org");
    assertContains(f.get(2), "name a.b.example.net");
  }

  @Test
  void check_cnOnlyCertificate_notCoveredUnderStrictRules() {
    HeldCertificate cnOnly = PKI.leaf().subjectCommonName(MAIL).clock(CLOCK).validFor(Duration.ofDays(90)).build();

    assertContains(only(WITH_ANCHORS.check(sent(cnOnly), List.of(MAIL)), Severity.ERROR),
        "which strict clients never use");
  }

  @Test
  void check_invalidConfiguredName_error() {
    assertContains(only(NO_ANCHORS.check(sent(good()), List.of("exa mple.net")), Severity.ERROR),
        "name exa mple.net", "is not a host name or IP literal");
  }

  @Test
  void check_weakLeafKey_floorError() {
    HeldCertificate weak = PKI.leaf().keyType(KeyType.RSA_1024).addDnsName(MAIL).clock(CLOCK)
        .validFor(Duration.ofDays(90)).build();

    for (ServerCertificateCheck check : List.of(WITH_ANCHORS, NO_ANCHORS)) {
      assertContains(only(check.check(sent(weak), List.of(MAIL)), Severity.ERROR), "certificate 0",
          "RSA key of 1024 bits", "TLS-25", "reissue it");
    }
  }

  @Test
  void check_sha1SignedLeaf_floorError() {
    HeldCertificate sha1 = PKI.leaf().signatureAlgorithm(SignatureAlgorithm.SHA1_WITH_ECDSA).addDnsName(MAIL)
        .clock(CLOCK).validFor(Duration.ofDays(90)).build();

    List<CertificateFinding> f = NO_ANCHORS.check(sent(sha1), List.of(MAIL));
    assertContains(only(f, Severity.ERROR), "SHA1withECDSA", "RFC 9155");
  }

  /** A self-signed certificate (a pinned server, R8314-C-30) has no chain to check, only its key. */
  @Test
  void check_selfSignedWithoutAnchors_onlyKeyChecked() {
    HeldCertificate self = HeldCertificate.builder().clock(CLOCK).addDnsName(MAIL).validFor(Duration.ofDays(90))
        .signatureAlgorithm(SignatureAlgorithm.SHA1_WITH_ECDSA).build();
    assertEquals(List.of(), NO_ANCHORS.check(List.of(self.certificate()), List.of(MAIL)));
  }

  @Test
  void check_allProblemsReportedTogether() {
    HeldCertificate bad = PKI.leaf().keyType(KeyType.RSA_1024).addDnsName("old.example.net")
        .validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1))).build();
    List<CertificateFinding> f = WITH_ANCHORS.check(List.of(bad.certificate()), List.of(MAIL));

    assertEquals(List.of("expired", "does not build", "not covered", "RSA key"), f.stream().map(x ->
        x.message().contains("expired") ? "expired" : x.message().contains("does not build") ? "does not build"
            : x.message().contains("not covered") ? "not covered" : x.message().contains("RSA key") ? "RSA key"
            : x.message()).toList());
  }

  @Test
  void builderAndArguments_validated() {
    assertThrows(IllegalArgumentException.class, () -> NO_ANCHORS.check(List.of(), List.of(MAIL)));
    assertThrows(IllegalArgumentException.class, () -> ServerCertificateCheck.builder(CLOCK).trustAnchors(Set.of()));
    assertThrows(IllegalArgumentException.class,
        () -> ServerCertificateCheck.builder(CLOCK).warningWindow(Duration.ofDays(-1)));
    assertThrows(NullPointerException.class, () -> ServerCertificateCheck.builder(null));
    assertEquals(ServerCertificateCheck.DEFAULT_WARNING_WINDOW, NO_ANCHORS.warningWindow());
    assertThrows(IllegalArgumentException.class, () -> CertificateFinding.error("R8314-S-18", " ", "m"));
  }
}
