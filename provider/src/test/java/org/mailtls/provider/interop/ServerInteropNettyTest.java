package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyManagementException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.tls.CipherSuites;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.interop.ServerInteropImaps.Served;

/**
 * MailTLS under a Netty 4.2.20 {@link io.netty.handler.ssl.SslHandler} server (README "Netty", the
 * server role), against {@code openssl s_client}: TLS 1.3 and TLS 1.2 AEAD verify and carry the
 * IMAP greeting (R8314-S-01, TLS-03); TLS 1.1 (TLS-01) and CBC / static-RSA suites (TLS-18, TLS-14)
 * are refused even though Netty sets protocols and suites on every engine it creates, and even when
 * the Netty context is configured with weak suites. The control for each refused command line is
 * the permissive raw server of {@link ServerInteropOpensslTest}, run again here.
 */
@Timeout(90)
class ServerInteropNettyTest {
  @TempDir
  static Path tmp;

  private static ExternalClients clients;
  private static ServerInteropFixtures.Pems pems;
  private static ServerInteropNettyImaps netty;
  private static ServerInteropImaps raw;

  @BeforeAll
  static void start() throws Exception {
    clients = new ExternalClients(tmp);
    pems = ServerInteropFixtures.writePems(clients);
    netty = ServerInteropNettyImaps.start(JsseEngine.BCJSSE, null);
    raw = ServerInteropImaps.implicitTls(ServerInteropFixtures.rawServer(), ServerInteropFixtures::permissive);
  }

  @AfterAll
  static void stop() throws Exception {
    if (netty != null) {
      netty.close();
    }
    if (raw != null) {
      raw.close();
    }
  }

  /** R8314-S-01, TLS-03: TLS 1.3, verified for localhost, greeting and LOGOUT over TLS. */
  @Test
  void tls13_verifiedAndGreetingReadOverTls() throws Exception {
    int before = netty.served.size();

    ExternalClients.Run r = ServerInteropOpensslTest.sClient(clients, pems.ca(), netty.port(), "-tls1_3");

    assertTrue(r.succeeded() && r.output().contains("New, TLSv1.3, Cipher is TLS_")
        && r.output().contains("Verify return code: 0 (ok)") && r.output().contains("* OK [CAPABILITY IMAP4rev1]")
        && r.output().contains("a OK LOGOUT completed"), r::toString);
    Served s = netty.awaitServed(before + 1).get(before);
    assertNull(s.failure(), s::toString);
    assertEquals("TLSv1.3", s.tls().getProtocol());
    assertEquals(List.of("CAPABILITY", "LOGOUT"), s.commands());
  }

  /** TLS-12, TLS-20: TLS 1.2 with ECDHE + AEAD on either key. */
  @ParameterizedTest
  @CsvSource({"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384"})
  void tls12Aead_verifiedAndGreetingReadOverTls(String suite) {
    ExternalClients.Run r = ServerInteropOpensslTest.sClient(clients, pems.ca(), netty.port(), "-tls1_2", "-cipher", suite);

    assertTrue(r.succeeded() && r.output().contains("Cipher    : " + suite + "\n")
        && r.output().contains("a OK LOGOUT completed"), r::toString);
  }

  /** TLS-01, TLS-18, TLS-14: what the raw control negotiates, the Netty + MailTLS server refuses. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"-tls1_1, DEFAULT:@SECLEVEL=0, alert protocol version",
      "-tls1_2, ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0, alert handshake failure",
      "-tls1_2, AES128-SHA:@SECLEVEL=0, alert handshake failure"})
  void legacyVersionOrWeakSuite_refused(String version, String cipher, String alert) throws Exception {
    ExternalClients.Run control = ServerInteropOpensslTest.sClient(clients, pems.ca(), raw.port(), version, "-cipher", cipher);
    assertTrue(control.succeeded() && control.output().contains("a OK LOGOUT completed"),
        () -> "positive control failed:\n" + control);
    int before = netty.served.size();

    ExternalClients.Run r = ServerInteropOpensslTest.sClient(clients, pems.ca(), netty.port(), version, "-cipher", cipher);

    ServerInteropOpensslTest.assertRefused(r);
    assertTrue(r.output().contains(alert), r::toString);
    assertNotNull(netty.awaitServed(before + 1).get(before).failure(), "the Netty server did not fail the handshake");
  }

  /**
   * TLS-18, TLS-14: a Netty context told to enable CBC and static-RSA suites next to the allowed ones
   * fails closed: MailTLS refuses Netty's {@code setEnabledCipherSuites} on every new engine (naming
   * the rule), so no connection gets TLS at all, and an AEAD TLS 1.3 client gets no greeting.
   */
  @Test
  void nettyConfiguredWithWeakSuites_failsClosed() throws Exception {
    List<String> ciphers = new ArrayList<>(CipherSuites.ALLOWED);
    ciphers.addAll(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"));
    try (ServerInteropNettyImaps weak = ServerInteropNettyImaps.start(JsseEngine.BCJSSE, ciphers)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, weak::sampleEngine);
      assertTrue(e.getMessage().contains("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA") && e.getMessage().contains("TLS-18"),
          e::getMessage);

      ExternalClients.Run r = ServerInteropOpensslTest.sClient(clients, pems.ca(), weak.port(), "-tls1_3");

      ServerInteropOpensslTest.assertRefused(r);
    }
  }

  /**
   * The README's {@code SslContextBuilder.sslContextProvider(provider.withTlsAlias())} route does not
   * work for a server on Netty 4.2.20: Netty wraps the MailTLS trust manager in its
   * EnhancingX509ExtendedTrustManager, and MailTLS refuses the foreign trust manager at init (fail
   * closed, as designed). Use {@code JdkSslContext} over {@code SSLContext.getInstance("MailTLS")}.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void builderWithTlsAlias_refusedBecauseNettyWrapsTheTrustManager(JsseEngine engine) {
    SSLException e = assertThrows(SSLException.class, () -> ServerInteropNettyImaps.builderContext(engine));

    assertTrue(e.getCause() instanceof KeyManagementException, () -> String.valueOf(e.getCause()));
    assertTrue(e.getCause().getMessage().contains("EnhancingX509ExtendedTrustManager"), e.getCause()::getMessage);
  }
}
