package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import org.junit.jupiter.api.Test;

/** TLS-08: the SNI matcher and the reading of requested names, without a handshake. */
class SniServerNamesTest {
  private static final SNIMatcher MATCHER = ServerNames.matcher(Set.of("mail.example.net", "Mail.Example.ORG"));

  /** A server name of another type, which JSSE would hand to a matcher of that type only. */
  private static final class OtherName extends SNIServerName {
    OtherName(int type, byte[] encoded) {
      super(type, encoded);
    }
  }

  @Test
  void matcher_exactNamesAsciiCaseInsensitive() {
    assertEquals(StandardConstants.SNI_HOST_NAME, MATCHER.getType());
    assertTrue(MATCHER.matches(new SNIHostName("mail.example.net")));
    assertTrue(MATCHER.matches(new SNIHostName("MAIL.EXAMPLE.NET")));
    assertTrue(MATCHER.matches(new SNIHostName("mail.example.org")));
    assertFalse(MATCHER.matches(new SNIHostName("example.net")));
    assertFalse(MATCHER.matches(new SNIHostName("imap.mail.example.net")));
    assertFalse(MATCHER.matches(new SNIHostName("xn--mail-example-net")));
  }

  @Test
  void matcher_otherTypesAndUndecodableNames_noMatch() {
    assertFalse(MATCHER.matches(new OtherName(5, "mail.example.net".getBytes(StandardCharsets.US_ASCII))));
    assertTrue(MATCHER.matches(new OtherName(0, "mail.example.net".getBytes(StandardCharsets.US_ASCII))),
        "a generic host_name entry is decoded");
    assertFalse(MATCHER.matches(new OtherName(0, "mail example net".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void matcher_withoutNames_refused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerNames.matcher(Set.of()));
    assertTrue(e.getMessage().contains("refuse every client"), e::getMessage);
  }

  @Test
  void requested_withoutSessionOrSocket_none() {
    assertNull(ServerNames.requested((SSLSession) null));
    assertNull(ServerNames.requested((java.net.Socket) null));
    assertNull(ServerNames.requested((javax.net.ssl.SSLEngine) null));
  }

  /** init(KeyStore, char[]) keeps working as before: every key, no name map, not strict. */
  @Test
  void keyStoreInit_noSniMap_firstFittingKey() throws Exception {
    KeyStore ks = SniFixtures.twoDomainStore();
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", new MailTlsProvider());
    kmf.init(ks, TestServers.PASSWORD);
    InMemoryKeyManager km = (InMemoryKeyManager) kmf.getKeyManagers()[0];

    assertEquals(Set.of(), km.sniNames());
    assertFalse(km.strictSni());
    assertEquals("org", km.chooseEngineServerAlias("RSA", null, null));
    assertEquals("net", km.chooseEngineServerAlias("EC", null, null));
    assertNull(km.chooseEngineServerAlias("EdDSA", null, null));
    assertNull(km.chooseClientAlias(new String[] {"EC"}, null, null), "never a client certificate (R8314-C-33)");
  }

  /** Key types as both engines ask for them, on a mapped name and without SNI. */
  @Test
  void chooseServerAlias_keyTypeStylesOfBothEngines() throws Exception {
    InMemoryKeyManager km = MailTlsKeyManagerFactorySpi.create(SniFixtures.twoDomains().build());

    assertEquals("net", km.chooseServerAlias("EC", null, null), "no SNI: the default");
    assertEquals("net", km.chooseServerAlias("ECDHE_ECDSA", null, null));
    assertEquals("net", km.chooseServerAlias("EC/secp256r1", null, null), "BCJSSE TLS 1.3 style");
    assertNull(km.chooseServerAlias("EC/secp384r1", null, null), "wrong curve");
    assertNull(km.chooseServerAlias("RSA", null, null), "the default is EC; no other key is offered instead");
    assertEquals(List.of("net", "org"), List.of(km.getServerAliases("EC", null)[0], km.getServerAliases("RSA", null)[0]));
  }
}
