package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.interop.ServerInteropImaps.Served;

/**
 * MailTLS as an IMAPS server (the listener is the MailTLS context's {@code SSLServerSocket}, on
 * BCJSSE and SunJSSE) against OpenSSL 3.0's {@code s_client}: TLS 1.3 and TLS 1.2 AEAD handshakes
 * verify (CA file, host name "localhost", {@code -verify_return_error}) and the IMAP greeting is read
 * over TLS (R8314-S-01, TLS-03); TLS 1.0/1.1 (TLS-01), CBC (TLS-18) and static-RSA (TLS-14) offers
 * are refused. Each refusal has a positive control: the same command line against a permissive raw
 * SunJSSE IMAPS server with the same two keys succeeds, so s_client really offered what was refused
 * and the server really had a key for the suite.
 */
@Timeout(90)
class ServerInteropOpensslTest {
  /** OpenSSL 3 refuses TLS 1.0/1.1 and SHA-1 at its default security level 1; the control needs 0. */
  private static final String LEGACY = "DEFAULT:@SECLEVEL=0";

  @TempDir
  static Path tmp;

  private static ExternalClients clients;
  private static ServerInteropFixtures.Pems pems;
  private static final Map<JsseEngine, ServerInteropImaps> SERVERS = new EnumMap<>(JsseEngine.class);
  private static ServerInteropImaps raw;

  @BeforeAll
  static void start() throws Exception {
    clients = new ExternalClients(tmp);
    pems = ServerInteropFixtures.writePems(clients);
    for (JsseEngine e : JsseEngine.values()) {
      SERVERS.put(e, ServerInteropImaps.implicitTls(ServerInteropFixtures.mailTlsServer(e)));
    }
    raw = ServerInteropImaps.implicitTls(ServerInteropFixtures.rawServer(), ServerInteropFixtures::permissive);
    System.out.println(clients.version("openssl", "version"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (ServerInteropImaps s : SERVERS.values()) {
      s.close();
    }
    if (raw != null) {
      raw.close();
    }
  }

  /** s_client verifying "localhost" against the test root, sending CAPABILITY and LOGOUT over TLS. */
  static ExternalClients.Run sClient(ExternalClients clients, Path ca, int port, String... extra) {
    List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", "localhost", "-verify_hostname", "localhost", "-CAfile", ca.toString(),
        "-verify_return_error", "-crlf", "-ign_eof"));
    cmd.addAll(List.of(extra));
    ExternalClients.Run r = clients.converse(Duration.ofSeconds(20), "a CAPABILITY\na LOGOUT\n", cmd.toArray(String[]::new));
    System.out.println(r.summary());
    return r;
  }

  /** R8314-S-01, TLS-03: TLS 1.3 verifies and carries the IMAP session (greeting, CAPABILITY, LOGOUT). */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void tls13_verifiedAndGreetingReadOverTls(JsseEngine engine) throws Exception {
    ServerInteropImaps server = SERVERS.get(engine);
    int before = server.served.size();

    ExternalClients.Run r = sClient(clients, pems.ca(), server.port(), "-tls1_3");

    assertTrue(r.succeeded(), r::toString);
    assertTrue(r.output().contains("New, TLSv1.3, Cipher is TLS_"), r::toString);
    assertTrue(r.output().contains("Verify return code: 0 (ok)"), r::toString);
    assertTrue(r.output().contains("* OK [CAPABILITY IMAP4rev1"), r::toString);
    assertTrue(r.output().contains("a OK LOGOUT completed"), r::toString);
    Served s = last(server, before);
    assertNull(s.failure(), s::toString);
    assertEquals("TLSv1.3", s.tls().getProtocol(), s::toString);
    assertEquals(List.of("CAPABILITY", "LOGOUT"), s.commands());
  }

  /** TLS-03, TLS-12, TLS-20: each RFC 9325 TLS 1.2 AEAD suite, on the EC or the RSA key, is negotiated. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "BCJSSE, ECDHE-ECDSA-AES128-GCM-SHA256", "BCJSSE, ECDHE-RSA-AES256-GCM-SHA384",
      "BCJSSE, ECDHE-RSA-CHACHA20-POLY1305", "SUNJSSE, ECDHE-RSA-AES128-GCM-SHA256",
      "SUNJSSE, ECDHE-ECDSA-CHACHA20-POLY1305"})
  void tls12Aead_verifiedAndGreetingReadOverTls(JsseEngine engine, String suite) throws Exception {
    ServerInteropImaps server = SERVERS.get(engine);
    int before = server.served.size();

    ExternalClients.Run r = sClient(clients, pems.ca(), server.port(), "-tls1_2", "-cipher", suite);

    assertTrue(r.succeeded(), r::toString);
    assertTrue(r.output().contains("Protocol  : TLSv1.2"), r::toString);
    assertTrue(r.output().contains("Cipher    : " + suite), r::toString);
    assertTrue(r.output().contains("Verify return code: 0 (ok)"), r::toString);
    assertTrue(r.output().contains("a OK LOGOUT completed"), r::toString);
    assertEquals("TLSv1.2", last(server, before).tls().getProtocol());
  }

  /**
   * TLS-01, R8314-S-02 (RFC 8996): s_client limited to TLS 1.1 or 1.0 gets a protocol_version alert
   * and no IMAP greeting; the control server answers the same command line with that version.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"BCJSSE, -tls1_1, TLSv1.1", "BCJSSE, -tls1, TLSv1", "SUNJSSE, -tls1_1, TLSv1.1",
      "SUNJSSE, -tls1, TLSv1"})
  void legacyVersion_refusedWithProtocolVersionAlert(JsseEngine engine, String flag, String version)
      throws Exception {
    ExternalClients.Run control = sClient(clients, pems.ca(), raw.port(), flag, "-cipher", LEGACY);
    assertTrue(control.succeeded() && control.output().contains("Protocol  : " + version + "\n")
        && control.output().contains("a OK LOGOUT completed"), () -> "positive control failed:\n" + control);
    ServerInteropImaps server = SERVERS.get(engine);
    int before = server.served.size();

    ExternalClients.Run r = sClient(clients, pems.ca(), server.port(), flag, "-cipher", LEGACY);

    assertRefused(r);
    assertTrue(r.output().contains("alert protocol version"), r::toString);
    assertNotNull(last(server, before).failure(), "the MailTLS server did not fail the handshake");
  }

  /**
   * TLS-18 (CBC) and TLS-14 (static RSA key exchange, RFC 10015): a TLS 1.2 offer of only such a
   * suite gets a handshake_failure alert and no greeting; the control server negotiates it.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "BCJSSE, AES128-SHA", "BCJSSE, ECDHE-ECDSA-AES128-SHA", "BCJSSE, ECDHE-RSA-AES256-SHA384",
      "BCJSSE, AES128-GCM-SHA256", "SUNJSSE, AES128-SHA", "SUNJSSE, ECDHE-ECDSA-AES128-SHA",
      "SUNJSSE, AES256-GCM-SHA384"})
  void weakTls12Suite_refusedWithHandshakeFailure(JsseEngine engine, String suite) throws Exception {
    String cipher = suite + ":@SECLEVEL=0";
    ExternalClients.Run control = sClient(clients, pems.ca(), raw.port(), "-tls1_2", "-cipher", cipher);
    assertTrue(control.succeeded() && control.output().contains("Cipher    : " + suite + "\n")
        && control.output().contains("a OK LOGOUT completed"), () -> "positive control failed:\n" + control);
    ServerInteropImaps server = SERVERS.get(engine);
    int before = server.served.size();

    ExternalClients.Run r = sClient(clients, pems.ca(), server.port(), "-tls1_2", "-cipher", cipher);

    assertRefused(r);
    assertTrue(r.output().contains("alert handshake failure"), r::toString);
    assertNotNull(last(server, before).failure(), "the MailTLS server did not fail the handshake");
  }

  /** The handshake failed: s_client exits non-zero, negotiated nothing, and never saw the greeting. */
  static void assertRefused(ExternalClients.Run r) {
    assertFalse(r.succeeded(), r::toString);
    assertFalse(r.output().contains("* OK"), r::toString);
    assertFalse(r.output().matches("(?s).*Cipher is (?!\\(NONE\\)).*"), r::toString);
  }

  private static Served last(ServerInteropImaps server, int before) throws InterruptedException {
    List<Served> all = server.awaitServed(before + 1);
    return all.get(all.size() - 1);
  }
}
