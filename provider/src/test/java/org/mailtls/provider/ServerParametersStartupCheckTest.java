package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.SniFixtures.NET;
import static org.mailtls.provider.SniFixtures.PKI;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;
import org.mailtls.policy.server.CertificateFinding;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;

/**
 * R8314-S-18: {@code KeyManagerFactory.init(MailTlsServerParameters)} runs the start-up check on a
 * fixed clock: ERROR findings refuse the configuration listing every finding, WARNING findings are
 * logged to {@code org.mailtls.provider.server} and kept on the key manager.
 */
class ServerParametersStartupCheckTest {
  private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static MailTlsServerParameters.Builder serving(HeldCertificate leaf, boolean withIntermediate)
      throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    if (withIntermediate) {
      SniFixtures.addKey(ks, "mail", leaf);
    } else {
      ks.setKeyEntry("mail", leaf.privateKey(), TestServers.PASSWORD, new X509Certificate[] {leaf.certificate()});
    }
    return MailTlsServerParameters.builder(ks, TestServers.PASSWORD).serverName(NET, "mail").clock(CLOCK);
  }

  private static HeldCertificate leaf(Duration from, Duration to) {
    return PKI.leaf().subjectCommonName(NET).addDnsName(NET).validity(NOW.plus(from), NOW.plus(to)).build();
  }

  private static String refused(MailTlsServerParameters p) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", new MailTlsProvider());
    return assertThrows(InvalidAlgorithmParameterException.class, () -> kmf.init(p)).getMessage();
  }

  private static void assertContains(String text, String... parts) {
    for (String p : parts) {
      assertTrue(text.contains(p), () -> "missing \"" + p + "\" in:\n" + text);
    }
  }

  @Test
  void init_expiredCertificate_refused() throws Exception {
    String m = refused(serving(leaf(Duration.ofDays(-90), Duration.ofDays(-2)), true).build());
    assertContains(m, "MailTLS refuses the server certificate configuration", "ERROR R8314-S-18 key alias \"mail\"",
        "certificate 0 (CN=mail.example.net)", "expired at", "2 days ago");
  }

  @Test
  void init_notYetValidCertificate_refused() throws Exception {
    assertContains(refused(serving(leaf(Duration.ofDays(1), Duration.ofDays(90)), true).build()), "is not valid before");
  }

  @Test
  void init_missingIntermediate_refusedOnlyWithTrustAnchors() throws Exception {
    HeldCertificate l = leaf(Duration.ofDays(-1), Duration.ofDays(90));
    assertContains(refused(serving(l, false).trustAnchors(PKI.trustStore()).build()),
        "does not build to a trust anchor", "intermediate CA certificates after the leaf");
    assertEquals(List.of(), serving(l, false).build().certificateFindings(), "no anchors: no chain check");
  }

  @Test
  void init_weakKey_refused() throws Exception {
    HeldCertificate weak = PKI.leaf().keyType(KeyType.RSA_1024).addDnsName(NET)
        .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90))).build();
    assertContains(refused(serving(weak, true).build()), "RSA key of 1024 bits", "TLS-25");
  }

  /** Every problem is listed at once: an operator fixes them in one go. */
  @Test
  void init_severalProblems_allListed() throws Exception {
    HeldCertificate other = PKI.leaf().subjectCommonName("old").addDnsName("old.example.net")
        .validity(NOW.minus(Duration.ofDays(90)), NOW.plus(Duration.ofDays(5))).build();
    String m = refused(serving(other, false).trustAnchors(PKI.trustStore()).build());
    assertContains(m, "WARNING R8314-S-18", "in 5 days", "does not build", "name mail.example.net",
        "which presents dNSName old.example.net");
  }

  @Test
  void init_expiringSoon_warningLoggedAndKept() throws Exception {
    List<LogRecord> records = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(MailTlsKeyManagerFactorySpi.LOGGER);
    log.addHandler(capture);
    try {
      MailTlsServerParameters p = serving(leaf(Duration.ofDays(-80), Duration.ofDays(10)), true)
          .trustAnchors(PKI.trustStore()).build();
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", new MailTlsProvider());
      kmf.init(p);
      InMemoryKeyManager km = (InMemoryKeyManager) kmf.getKeyManagers()[0];

      assertEquals(1, km.warnings().size(), km.warnings()::toString);
      CertificateFinding w = km.warnings().get(0);
      assertEquals(CertificateFinding.Severity.WARNING, w.severity());
      assertContains(w.toString(), "key alias \"mail\" (for mail.example.net), certificate 0", "in 10 days");
      assertEquals(km.warnings(), p.certificateFindings());
      assertEquals(1, records.size(), records::toString);
      assertEquals(java.util.logging.Level.WARNING, records.get(0).getLevel());
      assertContains(records.get(0).getMessage(), "MailTLS server certificate: WARNING R8314-S-18", "in 10 days");

      p = serving(leaf(Duration.ofDays(-80), Duration.ofDays(10)), true).expiryWarning(Duration.ofDays(7)).build();
      assertEquals(List.of(), p.certificateFindings(), "outside a 7-day window");
    } finally {
      log.removeHandler(capture);
    }
  }
}
