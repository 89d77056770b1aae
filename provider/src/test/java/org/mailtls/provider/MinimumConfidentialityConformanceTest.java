package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.ConnectionAssessment;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.pin.CertificatePin;
import org.mailtls.policy.pin.InMemoryPinStore;
import org.mailtls.policy.pin.PinGrant;
import org.mailtls.provider.AccountFixtures.Connection;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;
import org.mailtls.testing.TestPki;

/**
 * The minimum confidentiality level and pins over real handshakes, both engines (RFC 8314 §5.2,
 * §5.4; R8314-C-07, C-08, C-10, C-19..C-21, C-27..C-31; SI-14, SI-22). Pins are made the only way
 * the API allows: from a refusal the user saw, for an account in its setup phase.
 */
class MinimumConfidentialityConformanceTest {
  private static final TestPki PKI = TestPki.create();
  /** A self-signed server certificate the account's trust anchors do not cover (the JDK refuses an empty issuer). */
  private static final HeldCertificate SELF_SIGNED =
      HeldCertificate.builder().subjectCommonName("self-signed mail server").addDnsName("mail.example.net").build();
  private static final HeldCertificate CA_SIGNED = PKI.leaf().addDnsName("mail.example.net").build();

  /** Setup: the first connection is refused, the user accepts the certificate, the pin is stored. */
  private static CertificatePin pinDuringSetup(JsseEngine engine, AccountPolicy setupAccount, InMemoryPinStore store,
      HeldCertificate serverLeaf) throws Exception {
    Connection first = AccountFixtures.connect(AccountFixtures.client(engine, PKI, setupAccount, store),
        AccountFixtures.IMAPS, serverLeaf);
    assertFalse(first.result().success());
    TrustDecision.Refused seen = first.refusal();
    assertTrue(seen.pinnable(), seen.message());
    return PinGrant.grant(setupAccount, AccountFixtures.IMAPS, seen, store, Clock.systemUTC());
  }

  /** R8314-C-19, C-20: the MCL is on by default; a self-signed server is refused, and no pin is offered later. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void defaultAccount_selfSignedServer_refusedAndNotPinnable(JsseEngine engine) throws Exception {
    AccountPolicy established = AccountFixtures.account("alice").build();
    InMemoryPinStore store = new InMemoryPinStore();

    Connection c = AccountFixtures.connect(AccountFixtures.client(engine, PKI, established, store),
        AccountFixtures.IMAPS, SELF_SIGNED);

    assertTrue(established.requiresMinimumConfidentiality());
    assertEquals("R8314-C-25", c.refusal().rule());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PinGrant.grant(established, AccountFixtures.IMAPS, c.refusal(), store, Clock.systemUTC()));
    assertTrue(e.getMessage().contains("R8314-C-29"), e.getMessage());
    assertTrue(store.pinsFor("alice").isEmpty());
  }

  /** R8314-C-27: with the MCL on, even a pinned certificate is refused in the handshake. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void mclAccount_pinnedCertificate_refusedInHandshake(JsseEngine engine) throws Exception {
    InMemoryPinStore store = new InMemoryPinStore();
    pinDuringSetup(engine, AccountFixtures.setup(AccountFixtures.account("alice")), store, SELF_SIGNED);
    AccountPolicy withMcl = AccountFixtures.account("alice").build();

    Connection c = AccountFixtures.connect(AccountFixtures.client(engine, PKI, withMcl, store), AccountFixtures.IMAPS,
        SELF_SIGNED);

    assertEquals("R8314-C-27", c.refusal().rule(), c.refusal().message());
  }

  /** R8314-C-27, C-10: MCL off + pin: the connection works and is PINNED, never confidential. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void mclOffAccount_pinnedCertificate_pinnedNotConfidential(JsseEngine engine) throws Exception {
    InMemoryPinStore store = new InMemoryPinStore();
    CertificatePin pin = pinDuringSetup(engine,
        AccountFixtures.setup(AccountFixtures.account("alice").withoutMinimumConfidentiality(
            AccountFixtures.mclOff(AccountFixtures.account("x")).mclWaiver().orElseThrow())), store, SELF_SIGNED);
    AccountPolicy mclOff = AccountFixtures.mclOff(AccountFixtures.account("alice"));

    Connection c = AccountFixtures.connect(AccountFixtures.client(engine, PKI, mclOff, store), AccountFixtures.IMAPS,
        SELF_SIGNED);

    c.result().assertSuccess();
    ConnectionAssessment a = MailTls.assess(c.pair().client());
    assertEquals(ConfidentialityLevel.PINNED, a.level());
    assertFalse(a.isConfidential());
    assertTrue(a.meetsMinimumConfidentiality(mclOff));
    assertFalse(a.meetsMinimumConfidentiality(AccountFixtures.account("alice").build()));
    assertTrue(a.summary().contains("pin"), a.summary());
    TrustDecision.Accepted d = (TrustDecision.Accepted) MailTls.decisionOf(c.pair().clientSession()).orElseThrow();
    assertEquals(pin, d.pinUsed().orElseThrow());
  }

  /** No "accept anything": MCL off without a pin is still refused. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void mclOffAccount_noPin_refused(JsseEngine engine) throws Exception {
    AccountPolicy mclOff = AccountFixtures.mclOff(AccountFixtures.account("alice"));

    Connection c = AccountFixtures.connect(AccountFixtures.client(engine, PKI, mclOff, new InMemoryPinStore()),
        AccountFixtures.IMAPS, SELF_SIGNED);

    assertEquals("R8314-C-25", c.refusal().rule());
  }

  /** R8314-C-30, SI-22: a pin validates neither another account nor another port/service. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void pin_otherAccountOrEndpoint_notHonoured(JsseEngine engine) throws Exception {
    InMemoryPinStore store = new InMemoryPinStore();
    pinDuringSetup(engine, AccountFixtures.setup(AccountFixtures.account("alice")), store, SELF_SIGNED);
    AccountPolicy bob = AccountFixtures.mclOff(AccountFixtures.account("bob"));
    AccountPolicy alice = AccountFixtures.mclOff(AccountFixtures.account("alice"));

    Connection otherAccount = AccountFixtures.connect(AccountFixtures.client(engine, PKI, bob, store),
        AccountFixtures.IMAPS, SELF_SIGNED);
    Connection otherService = AccountFixtures.connect(AccountFixtures.client(engine, PKI, alice, store),
        AccountFixtures.POP3S, SELF_SIGNED);

    assertEquals("R8314-C-25", otherAccount.refusal().rule());
    assertEquals("R8314-C-25", otherService.refusal().rule());
  }

  /** R8314-C-31: a removed pin stops working on the next handshake (PINNED sessions are never resumed). */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void pin_removed_nextHandshakeRefused(JsseEngine engine) throws Exception {
    InMemoryPinStore store = new InMemoryPinStore();
    CertificatePin pin = pinDuringSetup(engine, AccountFixtures.setup(AccountFixtures.account("alice")), store,
        SELF_SIGNED);
    AccountPolicy alice = AccountFixtures.mclOff(AccountFixtures.account("alice"));
    javax.net.ssl.SSLContext client = AccountFixtures.client(engine, PKI, alice, store);
    javax.net.ssl.SSLContext server = TestServers.rawServer(SELF_SIGNED);

    AccountFixtures.connect(client, AccountFixtures.IMAPS, TestServers.rawServerEngine(server, null, null))
        .result().assertSuccess();
    assertEquals(1, store.remove("alice", pin.sha256()));
    Connection after = AccountFixtures.connect(client, AccountFixtures.IMAPS,
        TestServers.rawServerEngine(server, null, null));

    assertEquals("R8314-C-25", after.refusal().rule());
    assertTrue(store.pinsFor("alice").isEmpty());
  }

  /** SI-14: a pin does not lock the endpoint to one certificate; a CA-valid one is VERIFIED. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void pinnedEndpoint_laterCaValidCertificate_verified(JsseEngine engine) throws Exception {
    InMemoryPinStore store = new InMemoryPinStore();
    pinDuringSetup(engine, AccountFixtures.setup(AccountFixtures.account("alice")), store, SELF_SIGNED);
    AccountPolicy alice = AccountFixtures.mclOff(AccountFixtures.account("alice"));

    Connection c = AccountFixtures.connect(AccountFixtures.client(engine, PKI, alice, store), AccountFixtures.IMAPS,
        CA_SIGNED);

    c.result().assertSuccess();
    assertEquals(ConfidentialityLevel.VERIFIED, MailTls.assess(c.pair().client()).level());
  }

  /** A pin never stands in for the floors: an RSA-1024 certificate is refused and cannot be pinned. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void weakKeyCertificate_notPinnable(JsseEngine engine) throws Exception {
    HeldCertificate weak = HeldCertificate.builder().subjectCommonName("weak").keyType(KeyType.RSA_1024)
        .addDnsName("mail.example.net").build();
    AccountPolicy setup = AccountFixtures.setup(AccountFixtures.account("alice"));
    InMemoryPinStore store = new InMemoryPinStore();

    Connection c = AccountFixtures.connect(AccountFixtures.client(engine, PKI, setup, store), AccountFixtures.IMAPS, weak);

    assertEquals("TLS-25", c.refusal().rule());
    assertFalse(c.refusal().pinnable());
    assertThrows(IllegalStateException.class,
        () -> PinGrant.grant(setup, AccountFixtures.IMAPS, c.refusal(), store, Clock.systemUTC()));
  }
}
