package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.MailService;
import org.mailtls.testing.HandshakeResult;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.SslEnginePair;
import org.mailtls.testing.TestPki;

/**
 * MailTLS does the mail identity check itself, whatever endpoint-identification algorithm the
 * caller set (Angus sets "LDAPS", Netty "HTTPS", many none): the JDK's "HTTPS" checker would accept
 * a CN-only certificate and refuse an SRV-ID-only one, MailTLS does the opposite (SI-15, R7817-C-05).
 */
class EndpointIdentificationConformanceTest {
  private static final TestPki PKI = TestPki.create();

  static Stream<Arguments> enginesAndAlgorithms() {
    return Stream.of(JsseEngine.values())
        .flatMap(e -> Stream.of("HTTPS", "LDAPS", "").map(a -> Arguments.of(e, a)));
  }

  @ParameterizedTest(name = "{0} with endpoint identification \"{1}\"")
  @MethodSource("enginesAndAlgorithms")
  void handshake_cnOnlyCertificate_refusedWhateverTheAlgorithm(JsseEngine engine, String algorithm) throws Exception {
    HeldCertificate cnOnly = PKI.leaf().subjectCommonName("mail.example.net").build();
    SSLContext client = TestServers.mailTlsClient(new MailTlsProvider(engine), PKI);

    SslEnginePair pair = pair(client.createSSLEngine("mail.example.net", 993), algorithm, cnOnly);
    HandshakeResult r = pair.handshake();

    assertFalse(r.success());
    TrustDecision.Refused d = MailTls.decisionOf(r.clientFailure()).orElseThrow(() -> new AssertionError(r.clientFailure()));
    assertEquals("R7817-C-01", d.rule());
  }

  @ParameterizedTest(name = "{0} with endpoint identification \"{1}\"")
  @MethodSource("enginesAndAlgorithms")
  void handshake_srvIdOnlyCertificateForDiscoveredAccount_acceptedWhateverTheAlgorithm(JsseEngine engine,
      String algorithm) throws Exception {
    HeldCertificate srvOnly = PKI.leaf().addSrvName("_imaps.example.net").build();
    AccountPolicy account = AccountPolicy.builder("user@example.net")
        .emailAddress("user@example.net")
        .addEndpoint(MailEndpoint.of("imap.hoster.example", 993, MailService.IMAPS, HostProvenance.INSECURE_SRV))
        .build();
    SSLContext client = TestServers.mailTlsClient(new MailTlsProvider(engine), PKI, account, MailTlsPolicy.strict());

    SslEnginePair pair = pair(client.createSSLEngine("imap.hoster.example", 993), algorithm, srvOnly);
    pair.handshake().assertSuccess();

    TrustDecision.Accepted d = (TrustDecision.Accepted) MailTls.decisionOf(pair.clientSession()).orElseThrow();
    assertEquals("SRV-ID _imaps.example.net", d.validatedIdentity().orElseThrow().reference().toString());
  }

  private static SslEnginePair pair(SSLEngine client, String algorithm, HeldCertificate serverLeaf) throws Exception {
    client.setUseClientMode(true);
    SSLParameters p = client.getSSLParameters();
    p.setEndpointIdentificationAlgorithm(algorithm.isEmpty() ? null : algorithm);
    client.setSSLParameters(p);
    return SslEnginePair.of(client, TestServers.rawServerEngine(TestServers.rawServer(serverLeaf), null, null));
  }
}
