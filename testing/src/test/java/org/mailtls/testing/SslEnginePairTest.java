package org.mailtls.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SslEnginePairTest {
  private static final TestPki PKI = TestPki.create();

  private static SslEnginePair sunPair(KeyType leafType, String kmf, String protocol)
      throws Exception {
    SSLContext server = Tls.context(null, kmf, Tls.serverKeyStore(PKI, leafType), null);
    SSLContext client = Tls.context(null, kmf, null, PKI.trustStore());
    return SslEnginePair.of(Tls.client(client, protocol), Tls.server(server, protocol));
  }

  @ParameterizedTest
  @CsvSource({
      "TLSv1.3, EC_P256, PKIX",
      "TLSv1.2, EC_P256, PKIX",
      "TLSv1.3, RSA_2048, SunX509",
      "TLSv1.2, RSA_2048, SunX509",
      "TLSv1.3, RSA_2048, PKIX",
      "TLSv1.3, EC_P384, PKIX"})
  void handshake_sunJsse_negotiatesAndAppDataRoundTrips(
      String protocol, KeyType leafType, String kmf) throws Exception {
    SslEnginePair pair = sunPair(leafType, kmf, protocol);

    HandshakeResult result = pair.handshake();

    result.assertSuccess();
    assertTrue(result.rounds() > 0 && result.rounds() < SslEnginePair.MAX_ROUNDS);
    assertEquals(protocol, pair.clientSession().getProtocol());
    assertEquals(protocol, pair.serverSession().getProtocol());
    X509Certificate peer = (X509Certificate) pair.clientSession().getPeerCertificates()[0];
    assertEquals(leafType, KeyType.of(peer.getPublicKey()));
    byte[] ehlo = "EHLO client.example\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] banner = "250 mail.example.net\r\n".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(ehlo, pair.sendClientToServer(ehlo));
    assertArrayEquals(banner, pair.sendServerToClient(banner));
    pair.close();
    assertTrue(pair.client().isOutboundDone());
    assertTrue(pair.server().isOutboundDone());
  }

  @Test
  void sendClientToServer_largePayload_spansRecordsAndGrowsBuffers() throws Exception {
    SslEnginePair pair = sunPair(KeyType.EC_P256, "PKIX", "TLSv1.3");
    pair.handshake().assertSuccess();
    byte[] big = new byte[300_000];
    new Random(42).nextBytes(big);

    assertArrayEquals(big, pair.sendClientToServer(big));
    assertArrayEquals(big, pair.sendServerToClient(big));
    assertArrayEquals(new byte[0], pair.sendClientToServer(new byte[0]));
  }

  @Test
  void handshake_clientTrustsDifferentRoot_failsWithClientHandshakeExceptionWithoutHanging() {
    TestPki otherRoot = TestPki.create();
    SslEnginePair pair = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      SSLContext server = Tls.context(null, "PKIX", Tls.serverKeyStore(PKI, KeyType.EC_P256), null);
      SSLContext client = Tls.context(null, "PKIX", null, otherRoot.trustStore());
      SslEnginePair p =
          SslEnginePair.of(Tls.client(client, "TLSv1.3"), Tls.server(server, "TLSv1.3"));
      HandshakeResult result = p.handshake();

      assertFalse(result.success());
      assertInstanceOf(SSLHandshakeException.class, result.clientFailure());
      assertNotNull(result.serverFailure(), "server saw the client's alert");
      assertTrue(result.serverFailure().getMessage().contains("certificate_unknown"),
          result.serverFailure().getMessage());
      assertTrue(result.rounds() < SslEnginePair.MAX_ROUNDS);
      AssertionError error = assertThrows(AssertionError.class, result::assertSuccess);
      assertSame(result.clientFailure(), error.getCause());
      assertSame(result.serverFailure(), error.getSuppressed()[0]);
      return p;
    });
    pair.close(); // closing a failed pair is harmless
  }

  @Test
  void handshake_hostnameMismatch_failsOnClient() throws Exception {
    SSLContext server = Tls.context(null, "PKIX", TestPki.keyStore(
        PKI.leaf().addDnsName("other.example.net").build(), Tls.PASSWORD), null);
    SSLContext client = Tls.context(null, "PKIX", null, PKI.trustStore());

    HandshakeResult result = SslEnginePair.of(
        Tls.client(client, "TLSv1.2"), Tls.server(server, "TLSv1.2")).handshake();

    assertFalse(result.success());
    assertInstanceOf(SSLHandshakeException.class, result.clientFailure());
  }

  @Test
  void handshake_noCommonProtocol_failsWithoutHanging() throws Exception {
    SSLContext server = Tls.context(null, "PKIX", Tls.serverKeyStore(PKI, KeyType.EC_P256), null);
    SSLContext client = Tls.context(null, "PKIX", null, PKI.trustStore());

    HandshakeResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        SslEnginePair.of(Tls.client(client, "TLSv1.3"), Tls.server(server, "TLSv1.2"))
            .handshake());

    assertFalse(result.success());
    assertNotNull(result.serverFailure());
  }

  @Test
  void handshake_mutualTls_serverSeesClientCertificate() throws Exception {
    HeldCertificate clientLeaf = PKI.leaf().addRfc822Name("user@example.net").build();
    SSLContext server = Tls.context(
        null, "PKIX", Tls.serverKeyStore(PKI, KeyType.EC_P256), PKI.trustStore());
    SSLContext client = Tls.context(
        null, "PKIX", TestPki.keyStore(clientLeaf, Tls.PASSWORD), PKI.trustStore());
    var serverEngine = Tls.server(server, "TLSv1.3");
    serverEngine.setNeedClientAuth(true);
    SslEnginePair pair = SslEnginePair.of(Tls.client(client, "TLSv1.3"), serverEngine);

    pair.handshake().assertSuccess();

    assertEquals(clientLeaf.certificate(), pair.server().getSession().getPeerCertificates()[0]);
  }

  @Test
  void recordListener_firstClientRecordIsHandshake() throws Exception {
    SslEnginePair pair = sunPair(KeyType.EC_P256, "PKIX", "TLSv1.3");
    List<Direction> directions = new ArrayList<>();
    List<ByteBuffer> records = new ArrayList<>();
    pair.setRecordListener((direction, bytes) -> {
      directions.add(direction);
      records.add(bytes);
    });

    pair.handshake().assertSuccess();

    assertEquals(Direction.CLIENT_TO_SERVER, directions.get(0));
    ByteBuffer first = records.get(0);
    assertTrue(first.isReadOnly());
    assertEquals(0x16, first.get(0), "content type handshake");
    assertEquals(0x03, first.get(1), "legacy record version major");
    assertEquals(0x01, first.get(5), "handshake type client_hello");
    assertTrue(directions.contains(Direction.SERVER_TO_CLIENT));
  }

  @Test
  void of_wrongModesOrNulls_throwIllegalArgument() throws Exception {
    SSLContext context = Tls.context(null, "PKIX", null, PKI.trustStore());
    var client = Tls.client(context, "TLSv1.3");
    var server = Tls.server(context, "TLSv1.3");

    assertThrows(IllegalArgumentException.class, () -> SslEnginePair.of(server, client));
    assertThrows(IllegalArgumentException.class,
        () -> SslEnginePair.of(client, Tls.client(context, "TLSv1.3")));
    assertThrows(IllegalArgumentException.class, () -> SslEnginePair.of(client, null));
    assertThrows(IllegalArgumentException.class, () -> SslEnginePair.of(client, client));
  }

  @Test
  void handshake_calledTwiceOrSendBeforeHandshake_throwIllegalState() throws Exception {
    SslEnginePair pair = sunPair(KeyType.EC_P256, "PKIX", "TLSv1.3");

    assertThrows(IllegalStateException.class, () -> pair.sendClientToServer(new byte[1]));
    pair.handshake().assertSuccess();
    assertThrows(IllegalStateException.class, pair::handshake);
  }

  @Test
  void handshake_engineThatNeverFinishes_stopsAtMaxRounds() throws Exception {
    SslEnginePair pair = SslEnginePair.of(
        new FakeEngine(true, HandshakeStatus.NEED_WRAP),
        new FakeEngine(false, HandshakeStatus.NEED_UNWRAP));

    HandshakeResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), pair::handshake);

    assertFalse(result.success());
    assertEquals(SslEnginePair.MAX_ROUNDS, result.rounds());
    assertTrue(result.clientFailure().getMessage().contains("did not complete within 1000"),
        result.clientFailure().getMessage());
    assertNotNull(result.serverFailure());
  }

  @Test
  void handshake_bothSidesWaitingForInput_reportsStallAtOnce() throws Exception {
    SslEnginePair pair = SslEnginePair.of(
        new FakeEngine(true, HandshakeStatus.NEED_UNWRAP),
        new FakeEngine(false, HandshakeStatus.NEED_UNWRAP));

    HandshakeResult result = pair.handshake();

    assertFalse(result.success());
    assertEquals(1, result.rounds());
    assertTrue(result.clientFailure().getMessage().contains("stalled"));
    assertTrue(result.serverFailure().getMessage().contains("NEED_UNWRAP"));
  }

  @Test
  void handshakeResult_invalidCombinations_rejected() {
    Exception failure = new Exception("x");
    assertThrows(IllegalArgumentException.class, () -> new HandshakeResult(true, failure, null, 1));
    assertThrows(IllegalArgumentException.class, () -> new HandshakeResult(false, null, null, 1));
    assertThrows(IllegalArgumentException.class, () -> new HandshakeResult(true, null, null, -1));
    new HandshakeResult(true, null, null, 3).assertSuccess();
    AssertionError error = assertThrows(AssertionError.class,
        () -> new HandshakeResult(false, null, failure, 2).assertSuccess());
    assertSame(failure, error.getCause());
    assertNull(new HandshakeResult(false, null, failure, 2).clientFailure());
  }
}
