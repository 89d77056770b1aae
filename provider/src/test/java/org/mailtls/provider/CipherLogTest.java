package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.SslEnginePair;
import org.mailtls.testing.TestPki;

/**
 * Cipher logging (RFC 8314 §4, R8314-S-11): one structured record per handshake (both roles) and
 * per authentication, through System.Logger (here routed to java.util.logging), with no secrets
 * and no certificates.
 */
class CipherLogTest {
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate LEAF = PKI.leaf().addDnsName("mail.example.net").build();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void attach() {
    for (String name : List.of("org.mailtls.handshake", "org.mailtls.auth")) {
      Logger.getLogger(name).addHandler(capture);
      Logger.getLogger(name).setLevel(Level.ALL);
    }
  }

  @AfterEach
  void detach() {
    for (String name : List.of("org.mailtls.handshake", "org.mailtls.auth")) {
      Logger.getLogger(name).removeHandler(capture);
    }
  }

  private List<String> messages(String logger) {
    return records.stream().filter(r -> r.getLoggerName().equals(logger)).map(LogRecord::getMessage).toList();
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void handshake_oneRecordPerSide_withVersionSuiteGroupIdentity(JsseEngine engine) throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    SSLEngine c = TestServers.mailTlsClient(p, PKI).createSSLEngine("mail.example.net", 993);
    c.setUseClientMode(true);
    SSLEngine s = TestServers.mailTlsServer(p, PKI, LEAF).createSSLEngine();
    s.setUseClientMode(false);
    SslEnginePair pair = SslEnginePair.of(c, s);

    pair.handshake().assertSuccess();
    MailTls.logAuthentication(pair.serverSession(), "192.0.2.10:4711", "PLAIN", "alice", true);

    List<String> handshakes = messages("org.mailtls.handshake");
    assertEquals(2, handshakes.size(), handshakes.toString());
    String server = handshakes.stream().filter(m -> m.contains("role=server")).findFirst().orElseThrow();
    String client = handshakes.stream().filter(m -> m.contains("role=client")).findFirst().orElseThrow();
    assertEquals(Level.INFO, records.stream().filter(r -> r.getMessage().contains("role=server")).findFirst()
        .orElseThrow().getLevel(), "a server's records are INFO (RFC 8314 §4)");
    assertTrue(server.matches("tls handshake conn=\\d+ role=server peer=\\S+ (sni=mail.example.net )?version=TLSv1.3"
        + " suite=TLS_AES_\\d+_GCM_SHA\\d+ group=x25519 clientSubject=none result=ok"), server);
    assertTrue(client.contains("identity=\"DNS-ID mail.example.net\"") && client.contains("level=VERIFIED")
        && client.contains("group=x25519"), client);
    String auth = messages("org.mailtls.auth").get(0);
    assertTrue(auth.matches("authentication conn=\\d+ peer=192.0.2.10:4711 tls=\"TLSv1.3 TLS_AES_\\d+_GCM_SHA\\d+\""
        + " group=x25519 mechanism=PLAIN user=alice result=ok"), auth);
    assertTrue(auth.contains("conn=" + pair.serverSession().getValue("org.mailtls.connection-id")), auth);
    for (LogRecord r : records) {
      assertFalse(r.getMessage().contains("BEGIN CERTIFICATE") || r.getMessage().contains("secret"), r.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void clientRefusal_loggedAtDebugWithRule(JsseEngine engine) throws Exception {
    SSLContext client = TestServers.mailTlsClient(new MailTlsProvider(engine), PKI);
    SSLEngine c = client.createSSLEngine("imap.example.org", 993);
    c.setUseClientMode(true);
    SslEnginePair.of(c, TestServers.rawServerEngine(TestServers.rawServer(LEAF), null, null)).handshake();

    LogRecord r = records.stream().filter(x -> x.getLoggerName().equals("org.mailtls.handshake")).findFirst().orElseThrow();
    assertEquals(Level.FINE, r.getLevel(), "a client's records are DEBUG: quiet on the console by default");
    assertTrue(r.getMessage().contains("result=refused rule=R7817-C-01"), r.getMessage());
    assertTrue(r.getMessage().contains("peer=imap.example.org:993"), r.getMessage());
  }

  @org.junit.jupiter.api.Test
  void cleartextAuthentication_loggedWithoutTls() {
    MailTls.logAuthentication(null, "192.0.2.11:1234", "LOGIN", "bob \"the\" user", false);

    assertEquals("authentication conn=- peer=192.0.2.11:1234 tls=none mechanism=LOGIN user=\"bob \\\"the\\\" user\""
        + " result=failed", messages("org.mailtls.auth").get(0));
  }
}
