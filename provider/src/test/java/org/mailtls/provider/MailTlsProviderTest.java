package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Provider;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** Service registration: factories, no TLS alias by default, engine selection. */
class MailTlsProviderTest {

  @Test
  void services_registeredUnderMailTls() {
    Provider p = new MailTlsProvider();

    assertEquals("MailTLS", p.getName());
    assertNotNull(p.getService("SSLContext", "MailTLS"));
    assertNotNull(p.getService("TrustManagerFactory", "MailTLS"));
    assertNotNull(p.getService("KeyManagerFactory", "MailTLS"));
    assertNull(p.getService("SSLContext", "Default"), "a default context cannot carry an account");
    assertNull(p.getService("SSLContext", "TLS"), "a TLS alias would capture every TLS user of the JVM");
  }

  @Test
  void withTlsAlias_tlsAnswersWithMailTlsContext() throws Exception {
    MailTlsProvider p = new MailTlsProvider().withTlsAlias();

    SSLContext ctx = SSLContext.getInstance("TLS", p);
    ctx.init(null, null, null);

    assertTrue(MailTls.isMailTls(ctx.createSSLEngine("mail.example.net", 993)));
  }

  @Test
  void configure_selectsEngine() {
    MailTlsProvider p = (MailTlsProvider) new MailTlsProvider().configure("SunJSSE");

    assertEquals(JsseEngine.SUNJSSE, p.engine());
    assertTrue(p.getInfo().contains("SUNJSSE"));
    assertThrows(IllegalArgumentException.class, () -> new MailTlsProvider().configure("OpenSSL"));
  }

  @Test
  void context_notInitialised_clearError() throws Exception {
    SSLContext ctx = SSLContext.getInstance("MailTLS", new MailTlsProvider());

    IllegalStateException e = assertThrows(IllegalStateException.class, ctx::getSocketFactory);
    assertTrue(e.getMessage().contains("init"), e.getMessage());
  }
}
