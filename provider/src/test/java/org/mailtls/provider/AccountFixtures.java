package org.mailtls.provider;

import java.time.Instant;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.policy.AccountPhase;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.MclWaiver;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.MailService;
import org.mailtls.policy.pin.PinStore;
import org.mailtls.testing.HandshakeResult;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.SslEnginePair;
import org.mailtls.testing.TestPki;

/** Accounts, contexts and one-shot handshakes for the accounts tests (standard JSSE API by name). */
final class AccountFixtures {
  static final MailEndpoint IMAPS = MailEndpoint.of("mail.example.net", MailService.IMAPS);
  static final MailEndpoint POP3S = MailEndpoint.of("mail.example.net", MailService.POP3S);

  private AccountFixtures() {}

  static AccountPolicy.Builder account(String id) {
    return AccountPolicy.builder(id).emailAddress(id + "@example.net").addEndpoint(IMAPS).addEndpoint(POP3S);
  }

  static AccountPolicy mclOff(AccountPolicy.Builder b) {
    return b.withoutMinimumConfidentiality(new MclWaiver(MclWaiver.STANDARD_WARNING, Instant.parse("2026-11-30T00:00:00Z")))
        .build();
  }

  static AccountPolicy setup(AccountPolicy.Builder b) {
    return b.phase(AccountPhase.SETUP).build();
  }

  /** A MailTLS client context for {@code account}, trusting {@code pki}'s root, with pins from {@code pins}. */
  static SSLContext client(JsseEngine engine, TestPki pki, AccountPolicy account, PinStore pins, KeyManager... km)
      throws Exception {
    MailTlsProvider p = new MailTlsProvider(engine);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", p);
    tmf.init(MailTlsParameters.builder().trustStore(pki.trustStore()).account(account).pinStore(pins).build());
    SSLContext ctx = SSLContext.getInstance("MailTLS", p);
    ctx.init(km.length == 0 ? null : km, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A finished in-memory handshake: the pair (for sessions) and its result. */
  record Connection(SslEnginePair pair, HandshakeResult result) {
    TrustDecision.Refused refusal() {
      return MailTls.decisionOf(result.clientFailure()).orElseThrow(
          () -> new AssertionError("expected a MailTLS refusal, got " + result.clientFailure()));
    }
  }

  /** One in-memory handshake of {@code client} to {@code endpoint} against a raw server serving {@code leaf}. */
  static Connection connect(SSLContext client, MailEndpoint endpoint, HeldCertificate leaf) throws Exception {
    return connect(client, endpoint, TestServers.rawServerEngine(TestServers.rawServer(leaf), null, null));
  }

  static Connection connect(SSLContext client, MailEndpoint endpoint, SSLEngine server) {
    SSLEngine c = client.createSSLEngine(endpoint.host(), endpoint.port());
    c.setUseClientMode(true);
    SslEnginePair pair = SslEnginePair.of(c, server);
    return new Connection(pair, pair.handshake());
  }
}
