package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.interop.AngusClients.carriesPassword;
import static org.mailtls.provider.interop.AngusClients.describe;
import static org.mailtls.provider.interop.HostileStartTlsServers.HOST;
import static org.mailtls.provider.interop.HostileStartTlsServers.PASSWORD;
import static org.mailtls.provider.interop.HostileStartTlsServers.USER;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTls;
import org.mailtls.provider.angus.AngusProperties;
import org.mailtls.provider.interop.HostileMailScripts.Imap;
import org.mailtls.provider.interop.HostileStartTlsServers.Conversation;
import org.mailtls.provider.interop.HostileStartTlsServers.Server;
import org.mailtls.testing.HeldCertificate;

/**
 * The Angus fallback trap, proven: a server whose certificate names the host only in its subject
 * CN (no subjectAltName) is refused by MailTLS (RFC 7817 §3 / RFC 9525 §6: no CN fallback), but
 * the JVM's default {@code SSLSocketFactory}, which here trusts the same CA and whose LDAPS name
 * check still falls back to the CN, accepts it.
 *
 * <ul>
 *   <li>{@code mail.imaps.socketFactory.fallback} defaults to {@code true}: Angus 2.0.5 ({@code
 *       SocketFetcher.getSocket}) swallows MailTLS's refusal and connects again through {@code
 *       SSLSocketFactory.getDefault()}; the connection <b>succeeds</b> and the password is sent to
 *       the server MailTLS refused.
 *   <li>For STARTTLS there is no fallback, but {@code SocketFetcher.startTLS} silently uses the JVM
 *       default factory when {@code mail.imap.ssl.socketFactory} is missing, e.g. when only the
 *       {@code mail.imaps.*} keys were set: the same success.
 *   <li>With {@code fallback=false} and with {@link AngusProperties} the refusal stands, with
 *       MailTLS's decision in the cause chain, one connection, no LOGIN.
 * </ul>
 *
 * <p>The JVM default is a test CA trust store installed with {@code SSLContext.setDefault} before
 * each test and restored after it. No fork is needed: Angus asks {@code
 * SSLSocketFactory.getDefault()} on every connection, and JDK 17's {@code getDefault} only caches
 * when the {@code ssl.SocketFactory.provider} security property is set (it is not; {@link
 * #defaultFactoryAcceptsTheCnOnlyServer} checks the premise).
 */
@Timeout(60)
class AngusFallbackTrapTest {
  private static final HeldCertificate CN_ONLY = HostileStartTlsServers.PKI.leaf().subjectCommonName(HOST).build();

  private SSLContext originalDefault;

  @BeforeEach
  void trustTheTestCaJvmWide() throws Exception {
    originalDefault = SSLContext.getDefault();
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(HostileStartTlsServers.PKI.trustStore());
    SSLContext trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);
    SSLContext.setDefault(trusting);
  }

  @AfterEach
  void restoreJvmDefault() {
    SSLContext.setDefault(originalDefault);
  }

  private static Server implicitTlsImap() throws Exception {
    Imap imap = new Imap();
    imap.greeting = "* OK [CAPABILITY IMAP4rev1] CN-only IMAPS ready";
    imap.capsAfterTls = "IMAP4rev1";
    return Server.start(HostileStartTlsServers.serverTls(CN_ONLY), c -> {
      if (c.startTls()) {
        imap.run(c);
      }
    });
  }

  private static Server startTlsImap() throws Exception {
    Imap imap = new Imap();
    imap.capsAfterTls = "IMAP4rev1";
    return Server.start(HostileStartTlsServers.serverTls(CN_ONLY), imap);
  }

  private static SSLSocketFactory mailTls(JsseEngine engine) throws Exception {
    return HostileStartTlsServers.mailTlsClient(engine).getSocketFactory();
  }

  /** The premise: the JVM default, with Angus's LDAPS identification, accepts the CN-only server. */
  @Test
  void defaultFactoryAcceptsTheCnOnlyServer() throws Exception {
    try (Server server = implicitTlsImap();
        SSLSocket s = (SSLSocket) SSLSocketFactory.getDefault().createSocket(HOST, server.port())) {
      SSLParameters p = s.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("LDAPS");
      s.setSSLParameters(p);
      s.startHandshake();
      assertEquals(CN_ONLY.certificate(), s.getSession().getPeerCertificates()[0]);
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void fallbackDefault_mailTlsRefusalSwallowed_connectsAndSendsThePassword(JsseEngine engine) throws Exception {
    for (String fallback : new String[] {null, "true"}) {
      try (Server server = implicitTlsImap()) {
        Properties props = AngusClients.withTestSettings(new Properties(), "imaps");
        props.put("mail.imaps.ssl.socketFactory", mailTls(engine));
        if (fallback != null) {
          props.put("mail.imaps.socketFactory.fallback", fallback);
        }
        Store store = Session.getInstance(props).getStore("imaps");

        store.connect(HOST, server.port(), USER, PASSWORD); // the trap: no exception at all

        assertTrue(store.isConnected());
        store.close();
        assertEquals(2, server.accepted(), "MailTLS's connection, then the fallback's");
        Conversation refusedByMailTls = server.await(0);
        assertFalse(refusedByMailTls.tlsEstablished(), refusedByMailTls.toString());
        Conversation fallbackConnection = server.await(1);
        assertTrue(fallbackConnection.tlsEstablished(), fallbackConnection.toString());
        assertTrue(carriesPassword(fallbackConnection.tlsLines()),
            "the password went to the server MailTLS refused: " + fallbackConnection);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void fallbackFalse_refusalStands(JsseEngine engine) throws Exception {
    Properties readme = AngusClients.withTestSettings(new Properties(), "imaps");
    readme.put("mail.imaps.ssl.socketFactory", mailTls(engine));
    readme.put("mail.imaps.socketFactory.fallback", "false");
    Properties helper = AngusClients.withTestSettings(
        AngusProperties.forImaps(HostileStartTlsServers.mailTlsClient(engine), HOST), "imaps");
    for (Properties props : new Properties[] {readme, helper}) {
      try (Server server = implicitTlsImap()) {
        assertMailTlsRefusal(props, "imaps", server);
      }
    }
  }

  /** STARTTLS: forgetting mail.imap.ssl.socketFactory hands TLS to the JVM default, silently. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void startTls_withoutImapSslSocketFactory_usesTheJvmDefault(JsseEngine engine) throws Exception {
    try (Server server = startTlsImap()) {
      Properties props = AngusClients.withTestSettings(new Properties(), "imap");
      props.put("mail.imaps.ssl.socketFactory", mailTls(engine)); // set for imaps only, as is easy to do
      props.put("mail.imaps.socketFactory.fallback", "false");
      props.put("mail.imap.starttls.required", "true");
      Store store = Session.getInstance(props).getStore("imap");

      store.connect(HOST, server.port(), USER, PASSWORD);

      store.close();
      Conversation c = server.await(0);
      assertTrue(c.tlsEstablished() && carriesPassword(c.tlsLines()), "connected without MailTLS: " + c);
    }
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void startTls_angusProperties_refusalStands(JsseEngine engine) throws Exception {
    try (Server server = startTlsImap()) {
      Properties props = AngusProperties.forImapStartTls(HostileStartTlsServers.mailTlsClient(engine), HOST);
      assertMailTlsRefusal(AngusClients.withTestSettings(props, "imap"), "imap", server);
    }
  }

  private static void assertMailTlsRefusal(Properties props, String protocol, Server server) throws Exception {
    Store store = Session.getInstance(props).getStore(protocol);
    MessagingException e = assertThrows(MessagingException.class,
        () -> store.connect(HOST, server.port(), USER, PASSWORD));
    TrustDecision.Refused refusal = MailTls.decisionOf(e)
        .orElseThrow(() -> new AssertionError("MailTLS's refusal must reach the caller: " + describe(e)));
    assertEquals("R7817-C-01", refusal.rule(), refusal.message());
    assertTrue(refusal.message().contains("subject CN localhost (not used"), refusal.message());
    assertFalse(store.isConnected());
    Conversation c = server.await(0);
    assertFalse(c.tlsEstablished(), c.toString());
    assertFalse(carriesPassword(c.cleartextLines()), c.toString());
    assertEquals(1, server.accepted(), "no second connection");
  }
}
