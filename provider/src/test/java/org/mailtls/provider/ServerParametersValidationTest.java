package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.SniFixtures.NET;
import static org.mailtls.provider.SniFixtures.ORG;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;
import org.mailtls.policy.server.CertificateFinding;

/**
 * R8314-S-19, TLS-08: what {@link MailTlsServerParameters} refuses, at build (names, defaults) and at
 * {@code KeyManagerFactory.init} (aliases and what the certificates cover), with messages that name the
 * name, the alias and what the certificate presents.
 */
class ServerParametersValidationTest {
  private static MailTlsServerParameters.Builder builder() throws Exception {
    return MailTlsServerParameters.builder(SniFixtures.twoDomainStore(), TestServers.PASSWORD);
  }

  private static String initFails(MailTlsServerParameters p) {
    KeyManagerFactory kmf;
    try {
      kmf = KeyManagerFactory.getInstance("MailTLS", new MailTlsProvider());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return assertThrows(InvalidAlgorithmParameterException.class, () -> kmf.init(p)).getMessage();
  }

  private static void assertContains(String text, String... parts) {
    for (String p : parts) {
      assertTrue(text.contains(p), () -> "missing \"" + p + "\" in:\n" + text);
    }
  }

  @Test
  void build_namesNormalizedInOrder() throws Exception {
    MailTlsServerParameters p = builder().serverName("MAIL.Example.ORG.", "org").serverName(NET, "net")
        .defaultAlias("net").build();

    assertEquals(List.of(Map.entry(ORG, "org"), Map.entry(NET, "net")), List.copyOf(p.serverNames().entrySet()));
    assertTrue(p.strictSni());
    assertEquals(Duration.ofDays(30), p.expiryWarning());
    assertTrue(p.trustAnchors().isEmpty());
  }

  @Test
  void serverName_wildcardIpLiteralInvalidOrDuplicate_refused() throws Exception {
    String wildcard = assertThrows(IllegalArgumentException.class, () -> builder().serverName("*.example.net", "net"))
        .getMessage();
    assertContains(wildcard, "\"*.example.net\" is a wildcard", "map each name");
    assertContains(assertThrows(IllegalArgumentException.class, () -> builder().serverName("192.0.2.25", "net"))
        .getMessage(), "192.0.2.25", "looks like an IP address", "RFC 6066");
    assertContains(assertThrows(IllegalArgumentException.class, () -> builder().serverName("mail..example.net", "net"))
        .getMessage(), "mail..example.net", "empty label");
    assertContains(assertThrows(IllegalArgumentException.class,
        () -> builder().serverName(NET, "net").serverName("Mail.Example.Net", "org")).getMessage(),
        "mail.example.net is already mapped to alias \"net\"");
    assertThrows(IllegalArgumentException.class, () -> builder().serverName(NET, " "));
    assertThrows(IllegalArgumentException.class, () -> builder().expiryWarning(Duration.ofDays(-1)));
    assertThrows(IllegalArgumentException.class, () -> builder().trustAnchors(emptyStore()));
  }

  @Test
  void build_twoAliasesWithoutDefault_refused() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> builder().serverName(NET, "net").serverName(ORG, "org").build());
    assertContains(e.getMessage(), "2 key aliases [net, org]", "defaultAlias(alias)");
  }

  @Test
  void build_strictWithoutNames_refused_lenientAllowed() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder().defaultAlias("net").build());
    assertContains(e.getMessage(), "unrecognized_name", "strictSni(false)");
    assertFalse(builder().defaultAlias("net").strictSni(false).build().strictSni());
  }

  @Test
  void init_mappedAliasMissing_refusedNamingAliasAndName() throws Exception {
    String m = initFails(builder().serverName(NET, "net").serverName(ORG, "orgg").defaultAlias("net").build());
    assertContains(m, "R8314-S-19", "key alias \"orgg\" (for mail.example.org)", "is not in the key store",
        "private-key entries are [net, org]");
  }

  @Test
  void init_aliasIsTrustedCertificateEntry_refused() throws Exception {
    String m = initFails(builder().serverName(NET, "root").build());
    assertContains(m, "key alias \"root\" (for mail.example.net)", "is not a private-key entry");
  }

  @Test
  void init_nameNotCoveredByItsCertificate_refusedNamingNameAliasAndPresented() throws Exception {
    String m = initFails(builder().serverName(NET, "net").serverName(ORG, "net").build());
    assertContains(m, "key alias \"net\" (for mail.example.net, mail.example.org), name mail.example.org",
        "is not covered by certificate 0 (CN=mail.example.net)", "which presents dNSName mail.example.net");
  }

  @Test
  void init_defaultAliasMissing_refused() throws Exception {
    String m = initFails(builder().serverName(NET, "net").defaultAlias("nett").build());
    assertContains(m, "key alias \"nett\" (default)", "is not in the key store");
  }

  @Test
  void init_severalKeysNoMappingNoDefault_refused() throws Exception {
    String m = initFails(builder().strictSni(false).build());
    assertContains(m, "holds 2 private-key entries [net, org]", "defaultAlias(alias)");
  }

  @Test
  void init_singleKeyNoMapping_isTheDefault() throws Exception {
    KeyStore one = KeyStore.getInstance("PKCS12");
    one.load(null, null);
    SniFixtures.addKey(one, "only", SniFixtures.NET_CERT);
    InMemoryKeyManager km = MailTlsKeyManagerFactorySpi.create(
        MailTlsServerParameters.builder(one, TestServers.PASSWORD).strictSni(false).build());
    assertEquals("only", km.chooseServerAlias("EC", null, null));
    assertEquals("only", km.chooseServerAlias("EC", null, null));
  }

  @Test
  void init_oneMappedAliasWithoutDefault_isTheDefault() throws Exception {
    InMemoryKeyManager km = MailTlsKeyManagerFactorySpi.create(builder().serverName(NET, "net").build());
    assertEquals("net", km.chooseServerAlias("EC", null, null));
  }

  @Test
  void init_wrongPassword_refused() throws Exception {
    MailTlsServerParameters p = MailTlsServerParameters.builder(SniFixtures.twoDomainStore(), "wrong".toCharArray())
        .serverName(NET, "net").build();
    assertContains(initFails(p), "cannot decrypt the private keys [net]", "password");
  }

  @Test
  void init_foreignParameterType_refused() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", new MailTlsProvider());
    String m = assertThrows(InvalidAlgorithmParameterException.class,
        () -> kmf.init(MailTlsParameters.builder().build())).getMessage();
    assertContains(m, "MailTlsServerParameters", MailTlsParameters.class.getName());
  }

  @Test
  void certificateFindings_validConfiguration_none() throws Exception {
    List<CertificateFinding> f = SniFixtures.twoDomains().build().certificateFindings();
    assertEquals(List.of(), f);
  }

  private static KeyStore emptyStore() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    return ks;
  }
}
