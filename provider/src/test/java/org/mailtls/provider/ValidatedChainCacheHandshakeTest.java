package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.TrustDecision;
import org.mailtls.testing.HandshakeResult;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.SslEnginePair;
import org.mailtls.testing.TestPki;

/**
 * The validated-chain cache inside real handshakes: a repeated server chain is answered from the
 * cache by the MailTLS trust manager, and identity is still checked on every handshake (R7817-C-01:
 * a cached chain never makes a wrong name acceptable).
 */
class ValidatedChainCacheHandshakeTest {
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate LEAF = PKI.leaf().addDnsName("mail.example.net").build();

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void repeatedChain_answeredFromCache_identityStillChecked(JsseEngine engine) throws Exception {
    SSLContext client = TestServers.mailTlsClient(new MailTlsProvider(engine), PKI);
    SSLContext server = TestServers.rawServer(LEAF);
    handshake(client, server, "mail.example.net").assertSuccess();
    long before = ValidatedChainCache.shared().hits();

    SslEnginePair second = pair(client, server, "mail.example.net");
    second.handshake().assertSuccess();
    long afterRepeat = ValidatedChainCache.shared().hits();
    HandshakeResult wrongName = handshake(client, server, "other.example.net");

    assertEquals(before + 1, afterRepeat, "the repeated chain must be answered from the cache");
    TrustDecision.Accepted ok = assertInstanceOf(TrustDecision.Accepted.class,
        MailTls.decisionOf(second.clientSession()).orElseThrow());
    assertEquals(ConfidentialityLevel.VERIFIED, ok.level());
    assertFalse(wrongName.success(), "a cached chain must not make another host name acceptable");
    TrustDecision.Refused refused = MailTls.decisionOf(wrongName.clientFailure())
        .orElseThrow(() -> new AssertionError(wrongName.clientFailure()));
    assertEquals("R7817-C-01", refused.rule());
    assertEquals(afterRepeat + 1, ValidatedChainCache.shared().hits(),
        "the chain outcome came from the cache; the refusal is the identity check's");
  }

  private static HandshakeResult handshake(SSLContext client, SSLContext server, String host) {
    return pair(client, server, host).handshake();
  }

  private static SslEnginePair pair(SSLContext client, SSLContext server, String host) {
    SSLEngine c = client.createSSLEngine(host, 993);
    c.setUseClientMode(true);
    return SslEnginePair.of(c, TestServers.rawServerEngine(server, null, null));
  }
}
