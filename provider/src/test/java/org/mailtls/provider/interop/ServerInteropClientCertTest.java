package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.interop.ServerInteropImaps.Served;

/**
 * Client-certificate login (RFC 8314 §4.2, R8314-S-16; RFC 4959 SASL EXTERNAL) at a MailTLS IMAPS
 * server built as in the README (MailTlsServerParameters; client certificates of the test CA mapped
 * by rfc822Name for example.net), driven by {@code openssl s_client -cert/-key/-cert_chain}: alice's
 * certificate yields the SASL EXTERNAL identity alice@example.net (and only that authorization
 * identity); mallory's certificate (same CA, domain not mapped) and eve's (another CA) are refused
 * in the TLS handshake with MailTLS's decision on the server side; without a certificate the
 * session works but EXTERNAL is neither advertised nor accepted.
 */
@Timeout(90)
class ServerInteropClientCertTest {
  @TempDir
  static Path tmp;

  private static ExternalClients clients;
  private static ServerInteropFixtures.Pems pems;
  private static final Map<JsseEngine, ServerInteropImaps> SERVERS = new EnumMap<>(JsseEngine.class);

  @BeforeAll
  static void start() throws Exception {
    clients = new ExternalClients(tmp);
    pems = ServerInteropFixtures.writePems(clients);
    for (JsseEngine e : JsseEngine.values()) {
      SERVERS.put(e, ServerInteropImaps.implicitTls(ServerInteropFixtures.clientCertificateServer(e)));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (ServerInteropImaps s : SERVERS.values()) {
      s.close();
    }
  }

  /** s_client as {@code who} (null: no certificate), verifying the server, sending {@code commands}. */
  private static ExternalClients.Run sClient(int port, String who, String version, String commands) {
    List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", "localhost", "-verify_hostname", "localhost", "-CAfile", pems.ca().toString(),
        "-verify_return_error", "-crlf", "-ign_eof", version));
    if (who != null) {
      cmd.addAll(List.of("-cert", pems.cert(who).toString(), "-key", pems.key(who).toString(),
          "-cert_chain", pems.chain(who).toString()));
    }
    ExternalClients.Run r = clients.converse(Duration.ofSeconds(20), commands, cmd.toArray(String[]::new));
    System.out.println(r.summary());
    return r;
  }

  /** R8314-S-16: the mapped certificate logs alice in with AUTHENTICATE EXTERNAL (SASL-IR, empty authzid). */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"BCJSSE, -tls1_3", "BCJSSE, -tls1_2", "SUNJSSE, -tls1_3", "SUNJSSE, -tls1_2"})
  void mappedCertificate_authenticateExternal_yieldsConfiguredIdentity(JsseEngine engine, String version)
      throws Exception {
    ServerInteropImaps server = SERVERS.get(engine);
    int before = server.served.size();

    ExternalClients.Run r = sClient(server.port(), "alice", version,
        "a CAPABILITY\na AUTHENTICATE EXTERNAL =\na LOGOUT\n");

    assertTrue(r.succeeded() && r.output().contains("Verify return code: 0 (ok)"), r::toString);
    assertTrue(r.output().contains("AUTH=EXTERNAL"), r::toString);
    assertTrue(r.output().contains("a OK EXTERNAL authenticated as " + ServerInteropFixtures.MAPPED_IDENTITY), r::toString);
    Served s = server.awaitServed(before + 1).get(before);
    assertNull(s.failure(), s::toString);
    assertEquals(ServerInteropFixtures.MAPPED_IDENTITY, s.user(), s::toString);
    TrustDecision.Accepted d = (TrustDecision.Accepted) org.mailtls.provider.MailTls.decisionOf(s.tls()).orElseThrow();
    assertEquals(ServerInteropFixtures.MAPPED_IDENTITY, d.saslExternalIdentity().orElseThrow(), d::message);
  }

  /** RFC 4422 App. A: alice's certificate may not act as someone else. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void mappedCertificate_otherAuthorizationIdentity_refused(JsseEngine engine) throws Exception {
    ServerInteropImaps server = SERVERS.get(engine);
    String bob = Base64.getEncoder().encodeToString("bob@example.net".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    int before = server.served.size();

    ExternalClients.Run r = sClient(server.port(), "alice", "-tls1_3",
        "a AUTHENTICATE EXTERNAL " + bob + "\na LOGOUT\n");

    assertTrue(r.output().contains("a NO [AUTHORIZATIONFAILED]"), r::toString);
    assertNull(server.awaitServed(before + 1).get(before).user());
  }

  /**
   * R8314-S-16: certificates MailTLS does not map are refused in the handshake, with MailTLS's
   * decision on the server: mallory (test CA, evil.example not allowed) and eve (another CA, though
   * her rfc822Name is alice's). The client gets an alert and never the IMAP greeting.
   */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({"BCJSSE, mallory, -tls1_3, R8314-S-16, mallory@evil.example",
      "BCJSSE, mallory, -tls1_2, R8314-S-16, mallory@evil.example",
      "BCJSSE, eve, -tls1_3, R8314-C-25, certification path",
      "SUNJSSE, mallory, -tls1_3, R8314-S-16, mallory@evil.example",
      "SUNJSSE, eve, -tls1_2, R8314-C-25, certification path"})
  void unmappedCertificate_refusedInHandshake(JsseEngine engine, String who, String version, String rule,
      String named) throws Exception {
    ServerInteropImaps server = SERVERS.get(engine);
    int before = server.served.size();

    ExternalClients.Run r = sClient(server.port(), who, version, "a CAPABILITY\na LOGOUT\n");

    assertFalse(r.succeeded(), r::toString);
    assertFalse(r.output().contains("* OK"), r::toString);
    assertTrue(r.output().contains("alert certificate unknown"), r::toString); // alert 46, from the server
    Served s = server.awaitServed(before + 1).get(before);
    assertNull(s.user(), s::toString);
    TrustDecision.Refused d = s.refusal().orElseThrow(() -> new AssertionError("no MailTLS refusal: " + s));
    assertEquals(rule, d.rule(), d::message);
    assertTrue(d.message().contains(named), d::message);
  }

  /** R8314-S-16 ("may"): without a certificate the TLS session works, but EXTERNAL is not offered or accepted. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void noCertificate_sessionWorksButExternalRefused(JsseEngine engine) throws Exception {
    ServerInteropImaps server = SERVERS.get(engine);

    ExternalClients.Run r = sClient(server.port(), null, "-tls1_3", "a CAPABILITY\na AUTHENTICATE EXTERNAL =\na LOGOUT\n");

    assertTrue(r.succeeded() && r.output().contains("a OK CAPABILITY completed"), r::toString);
    assertFalse(r.output().contains("AUTH=EXTERNAL"), r::toString);
    assertTrue(r.output().contains("a NO [AUTHENTICATIONFAILED] no mapped client certificate"), r::toString);
  }
}
