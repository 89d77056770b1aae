package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.testing.ClientHello;
import org.mailtls.testing.Direction;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.SslEnginePair;
import org.mailtls.testing.TestPki;

/**
 * What the ClientHello really offers for groups and signature schemes (TLS-21, TLS-22, TLS-24,
 * TLS-26), and the SNI MailTLS sets (TLS-32). The README's engine table is checked here: BCJSSE
 * narrows both per connection; SunJSSE on JDK 17 cannot, so the JDK's defaults go out.
 */
class GroupsAndSchemesConformanceTest {
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate LEAF = PKI.leaf().addDnsName("mail.example.net").build();

  /** x25519, secp256r1, secp384r1, secp521r1, x448. */
  private static final Set<Integer> ALLOWED_GROUPS = Set.of(0x001D, 0x0017, 0x0018, 0x0019, 0x001E);

  /** The policy's schemes; none with SHA-1 or MD5 (RFC 9155). */
  private static final Set<Integer> ALLOWED_SCHEMES = Set.of(0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805,
      0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601);

  @Test
  void bcjsse_clientHello_onlyPolicyGroupsAndSchemes() throws Exception {
    ClientHello hello = firstFlight(JsseEngine.BCJSSE, "MAIL.Example.NET.");

    assertFalse(hello.namedGroups().isEmpty());
    assertTrue(ALLOWED_GROUPS.containsAll(hello.namedGroups()), "groups: " + hex(hello.namedGroups()));
    assertEquals(0x001D, hello.namedGroups().get(0), "x25519 first");
    assertTrue(ALLOWED_SCHEMES.containsAll(hello.signatureAlgorithms()), "schemes: " + hex(hello.signatureAlgorithms()));
    assertEquals("mail.example.net", hello.serverName(), "TLS-32: SNI is the normalized A-label name");
  }

  /** Documents the JDK 17 limit stated in README: SunJSSE's default groups go out unchanged. */
  @Test
  void sunjsse_clientHello_groupsNarrowedOnlyWhereTheJdkCan() throws Exception {
    ClientHello hello = firstFlight(JsseEngine.SUNJSSE, "mail.example.net");

    if (EngineExtras.jdkHasNamedGroups()) {
      assertTrue(ALLOWED_GROUPS.containsAll(hello.namedGroups()), "groups: " + hex(hello.namedGroups()));
    } else {
      assertTrue(hello.namedGroups().contains(0x0100), "JDK 17 SunJSSE offers ffdhe2048 by default: " + hex(hello.namedGroups()));
    }
    assertEquals("mail.example.net", hello.serverName());
  }

  /**
   * TLS-05: only the null compression method; TLS-07: renegotiation_info (extension 0xff01 or the
   * SCSV 0x00ff) and extended_master_secret (extension 23) are offered, by both engines; TLS-27:
   * truncated_hmac (extension 4) is not.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void clientHello_noCompression_renegotiationInfoAndExtendedMasterSecret(JsseEngine engine) throws Exception {
    ClientHello hello = firstFlight(engine, "mail.example.net");

    assertEquals(List.of(0), hello.compressionMethods());
    assertTrue(hello.extensionTypes().contains(0xff01) || hello.cipherSuites().contains(0x00ff),
        "renegotiation_info: " + hex(hello.extensionTypes()));
    assertTrue(hello.extensionTypes().contains(23), "extended_master_secret: " + hex(hello.extensionTypes()));
    assertFalse(hello.extensionTypes().contains(4), "TLS-27: truncated_hmac is never offered");
  }

  /** SI-18, TLS-32: no SNI for an IP literal. */
  @Test
  void bcjsse_ipLiteralHost_noSni() throws Exception {
    assertEquals(null, firstFlight(JsseEngine.BCJSSE, "192.0.2.7").serverName());
  }

  private static ClientHello firstFlight(JsseEngine engine, String host) throws Exception {
    SSLEngine client = TestServers.mailTlsClient(new MailTlsProvider(engine), PKI).createSSLEngine(host, 993);
    client.setUseClientMode(true);
    SslEnginePair pair = SslEnginePair.of(client, TestServers.rawServerEngine(TestServers.rawServer(LEAF), null, null));
    AtomicReference<ByteBuffer> first = new AtomicReference<>();
    pair.setRecordListener((direction, bytes) -> {
      if (direction == Direction.CLIENT_TO_SERVER) {
        first.compareAndSet(null, bytes);
      }
    });
    pair.handshake();
    return ClientHello.parse(first.get());
  }

  private static String hex(List<Integer> codes) {
    StringBuilder sb = new StringBuilder();
    for (int c : codes) {
      sb.append(String.format("0x%04x ", c));
    }
    return sb.toString();
  }
}
