package org.mailtls.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.security.Provider;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SslEnginePair driving BCJSSE, alone and against SunJSSE; no provider is installed globally. */
class SslEnginePairBcJsseTest {
  private static final TestPki PKI = TestPki.create();
  /** BCJSSE over the JDK's crypto providers. */
  private static final Provider BCJSSE = new BouncyCastleJsseProvider();
  /** BCJSSE over BouncyCastle crypto (needed for TLS 1.3 with RSA keys). */
  private static final Provider BCJSSE_BC_CRYPTO =
      new BouncyCastleJsseProvider(new BouncyCastleProvider());

  private static void assertRoundTrip(SslEnginePair pair) throws SSLException {
    byte[] hello = "a001 CAPABILITY\r\n".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(hello, pair.sendClientToServer(hello));
    assertArrayEquals(hello, pair.sendServerToClient(hello));
    pair.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void handshake_bcJsseBothSidesEc_negotiates(String protocol) throws Exception {
    SSLContext server = Tls.context(BCJSSE, "PKIX", Tls.serverKeyStore(PKI, KeyType.EC_P256), null);
    SSLContext client = Tls.context(BCJSSE, "PKIX", null, PKI.trustStore());
    SslEnginePair pair =
        SslEnginePair.of(Tls.client(client, protocol), Tls.server(server, protocol));

    pair.handshake().assertSuccess();

    assertEquals(protocol, pair.client().getSession().getProtocol());
    assertEquals(protocol, pair.server().getSession().getProtocol());
    assertRoundTrip(pair);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void handshake_bcJsseClientSunJsseServer_negotiates(String protocol) throws Exception {
    SSLContext server = Tls.context(null, "PKIX", Tls.serverKeyStore(PKI, KeyType.EC_P256), null);
    SSLContext client = Tls.context(BCJSSE, "PKIX", null, PKI.trustStore());
    SslEnginePair pair =
        SslEnginePair.of(Tls.client(client, protocol), Tls.server(server, protocol));

    pair.handshake().assertSuccess();

    assertEquals(protocol, pair.client().getSession().getProtocol());
    assertRoundTrip(pair);
  }

  @Test
  void handshake_bcJsseWithBcCryptoTls13Rsa_negotiates() throws Exception {
    SSLContext server = Tls.context(
        BCJSSE_BC_CRYPTO, "PKIX", Tls.serverKeyStore(PKI, KeyType.RSA_2048), null);
    SSLContext client = Tls.context(BCJSSE_BC_CRYPTO, "PKIX", null, PKI.trustStore());
    SslEnginePair pair =
        SslEnginePair.of(Tls.client(client, "TLSv1.3"), Tls.server(server, "TLSv1.3"));

    pair.handshake().assertSuccess();

    assertEquals("TLSv1.3", pair.client().getSession().getProtocol());
    assertRoundTrip(pair);
  }

  @Test
  void handshake_bcJsseClientTrustsDifferentRoot_failsOnClient() throws Exception {
    SSLContext server = Tls.context(BCJSSE, "PKIX", Tls.serverKeyStore(PKI, KeyType.EC_P256), null);
    SSLContext client = Tls.context(BCJSSE, "PKIX", null, TestPki.create().trustStore());

    HandshakeResult result = SslEnginePair.of(
        Tls.client(client, "TLSv1.3"), Tls.server(server, "TLSv1.3")).handshake();

    assertFalse(result.success());
    assertNotNull(result.clientFailure());
  }
}
