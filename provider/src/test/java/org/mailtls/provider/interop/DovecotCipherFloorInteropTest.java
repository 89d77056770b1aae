package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.DovecotClients.causes;
import static org.mailtls.provider.interop.DovecotClients.describe;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;
import org.mailtls.testing.TestPki;

/**
 * RFC 9325's suite floor against a real Dovecot 2.3 that offers only CBC suites (issue #6): TLS
 * 1.2 only, {@code ssl_cipher_list} = ECDHE-ECDSA AES-CBC suites (forward-secret, not AEAD),
 * see {@link DovecotConfig.Tls#TLS12_CBC_ONLY}. MailTLS offers CBC suites nowhere, because RFC
 * 9325 §4.2 allows them only with encrypt_then_mac, which neither engine negotiates (TLS-18; the
 * AEAD list is TLS-17), so Angus Mail over MailTLS is refused on both engines, for IMAPS and
 * POP3S, and Dovecot logs "no shared cipher".
 *
 * <p>Positive controls, so the refusal is MailTLS's floor and not a broken server: {@code openssl
 * s_client -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA} connects with that CBC suite (and TLS 1.3 or
 * an AEAD suite do not), and the very engine under MailTLS, used raw with its default suites,
 * negotiates a CBC suite and reads Dovecot's greeting.
 */
@Timeout(120)
class DovecotCipherFloorInteropTest {
  private static final String NO_SHARED_CIPHER = "no shared cipher";

  @TempDir
  static Path tmp;

  private static TestPki pki;
  private static DovecotConfig config;
  private static Dovecot cbcOnly;

  @BeforeAll
  static void startDovecot() throws Exception {
    pki = TestPki.create();
    config = DovecotConfig.builder(pki.leaf().addDnsName("localhost").build())
        .tls(DovecotConfig.Tls.TLS12_CBC_ONLY).build();
    cbcOnly = Dovecot.start(tmp.resolve("cbc-only"), config);
    System.out.printf("Dovecot (TLS 1.2, CBC only) ready after %d ms%n", cbcOnly.startupMillis());
  }

  @AfterAll
  static void stopDovecot() {
    if (cbcOnly != null) {
      cbcOnly.close();
      assertFalse(cbcOnly.isAlive(), cbcOnly + " still running");
    }
  }

  /** TLS-18: Angus over MailTLS finds no suite in common with a CBC-only Dovecot. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angus_cbcOnlyDovecot_refused(JsseEngine engine) throws Exception {
    SSLContext ctx = DovecotClients.context(engine, pki);
    List<String> offered = Arrays.asList(ctx.getSocketFactory().getDefaultCipherSuites());
    assertTrue(offered.stream().noneMatch(s -> s.contains("_CBC_")), offered.toString());

    long before = cbcOnly.count(NO_SHARED_CIPHER);
    for (String protocol : new String[] {"imaps", "pop3s"}) {
      int port = protocol.equals("imaps") ? cbcOnly.imapsPort() : cbcOnly.pop3sPort();
      Store store = Session.getInstance(DovecotClients.wiring(protocol, ctx.getSocketFactory())).getStore(protocol);
      MessagingException e = assertThrows(MessagingException.class,
          () -> store.connect("localhost", port, Dovecot.USER, Dovecot.PASSWORD), protocol);
      assertFalse(store.isConnected());
      assertTrue(causes(e).stream().anyMatch(SSLHandshakeException.class::isInstance), protocol + ": " + describe(e));
    }
    assertTrue(cbcOnly.awaitCount(NO_SHARED_CIPHER, before + 2, 5_000), cbcOnly.log());
  }

  /** Positive control: OpenSSL connects with the CBC suite over TLS 1.2, and with nothing else. */
  @Test
  void openssl_connectsOnlyWithTls12Cbc() throws Exception {
    String cbc = config.cbcSuites().get(0);
    String ok = DovecotClients.sClient(tmp, cbcOnly.imapsPort(), "-tls1_2", "-cipher", cbc);
    assertTrue(ok.contains("Cipher is " + cbc), ok);
    assertTrue(ok.contains("Protocol  : TLSv1.2"), ok);

    String aead = DovecotClients.sClient(tmp, cbcOnly.imapsPort(), "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
    assertTrue(aead.contains("Cipher is (NONE)") || aead.contains("handshake failure"), aead);
    String tls13 = DovecotClients.sClient(tmp, cbcOnly.imapsPort(), "-tls1_3");
    assertFalse(tls13.contains("Protocol  : TLSv1.3") && !tls13.contains("Cipher is (NONE)"), tls13);
  }

  /**
   * Positive control: the engine under MailTLS, used raw (its own default suites, which include
   * CBC; trusting the same root), negotiates a CBC suite over TLS 1.2 and reads the greeting.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void rawEngine_negotiatesCbc(JsseEngine engine) throws Exception {
    SSLContext raw;
    if (engine == JsseEngine.BCJSSE) {
      BouncyCastleJsseProvider bc = new BouncyCastleJsseProvider(new BouncyCastleProvider());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", bc);
      tmf.init(pki.trustStore());
      raw = SSLContext.getInstance("TLS", bc);
      raw.init(null, tmf.getTrustManagers(), null);
    } else {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
      tmf.init(pki.trustStore());
      raw = SSLContext.getInstance("TLS", "SunJSSE");
      raw.init(null, tmf.getTrustManagers(), null);
    }
    try (SSLSocket s = (SSLSocket) raw.getSocketFactory().createSocket("localhost", cbcOnly.imapsPort())) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      String suite = s.getSession().getCipherSuite();
      assertEquals("TLSv1.2", s.getSession().getProtocol());
      assertTrue(suite.startsWith("TLS_ECDHE_ECDSA_WITH_AES_") && suite.contains("_CBC_"), suite);
      String greeting = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      assertTrue(greeting != null && greeting.startsWith("* OK"), greeting);
    }
  }
}
