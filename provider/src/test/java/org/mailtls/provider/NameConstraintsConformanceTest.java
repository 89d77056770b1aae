package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.TrustDecision;
import org.mailtls.policy.identity.HostProvenance;
import org.mailtls.policy.identity.MailService;
import org.mailtls.testing.HandshakeResult;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.SslEnginePair;

/**
 * Name constraints the JDK's PKIX leaves unchecked, enforced by MailTLS in real handshakes: a trust
 * anchor's own dNSName constraints (the JDK honours only constraints set on the TrustAnchor object,
 * so the raw JDK client accepts what MailTLS refuses: the positive control), and dNSName constraints
 * binding SRVNames (SI-17), which the JDK does not evaluate either.
 */
class NameConstraintsConformanceTest {
  private static final String NAME_CONSTRAINTS = "2.5.29.30";

  private static byte[] constraints(GeneralName permitted) throws Exception {
    return new NameConstraints(new GeneralSubtree[] {new GeneralSubtree(permitted)}, null).getEncoded();
  }

  private static HeldCertificate root(byte[] nameConstraints) {
    HeldCertificate.Builder b = HeldCertificate.builder().subjectCommonName("NC Root").certificateAuthority(1);
    if (nameConstraints != null) {
      b.addExtensionRaw(NAME_CONSTRAINTS, true, nameConstraints);
    }
    return b.build();
  }

  private static HeldCertificate intermediate(HeldCertificate root, byte[] nameConstraints) {
    HeldCertificate.Builder b = HeldCertificate.builder().subjectCommonName("NC Intermediate").certificateAuthority(0)
        .signedBy(root);
    if (nameConstraints != null) {
      b.addExtensionRaw(NAME_CONSTRAINTS, true, nameConstraints);
    }
    return b.build();
  }

  private static KeyStore trust(HeldCertificate root) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("root", root.certificate());
    return ks;
  }

  private static HandshakeResult handshake(SSLContext client, String host, HeldCertificate leaf) throws Exception {
    SSLEngine c = client.createSSLEngine(host, 993);
    c.setUseClientMode(true);
    return SslEnginePair.of(c, TestServers.rawServerEngine(TestServers.rawServer(leaf), null, null)).handshake();
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void anchorDnsConstraint_outOfTreeLeaf_refusedByMailTlsAcceptedByRawJdk(JsseEngine engine) throws Exception {
    HeldCertificate root = root(constraints(new GeneralName(GeneralName.dNSName, "example.com")));
    HeldCertificate inter = intermediate(root, null);
    HeldCertificate outside = HeldCertificate.builder().addDnsName("mail.example.net").signedBy(inter).build();
    HeldCertificate inside = HeldCertificate.builder().addDnsName("mail.example.com").signedBy(inter).build();
    SSLContext mailTls = context(engine, trust(root), null);

    HandshakeResult refused = handshake(mailTls, "mail.example.net", outside);
    HandshakeResult accepted = handshake(mailTls, "mail.example.com", inside);
    HandshakeResult raw = handshake(rawJdkClient(trust(root)), "mail.example.net", outside);

    assertFalse(refused.success());
    TrustDecision.Refused d = MailTls.decisionOf(refused.clientFailure())
        .orElseThrow(() -> new AssertionError(refused.clientFailure()));
    assertEquals("R8314-C-25", d.rule());
    assertTrue(d.reason().contains("outside its permitted dNSName subtrees [example.com]"), d.reason());
    accepted.assertSuccess();
    raw.assertSuccess(); // the JDK ignores the root certificate's constraints: the gap MailTLS closes
  }

  /** SI-17: an intermediate constrained to example.com in dNSName cannot vouch for _imaps.example.net. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void si17_dnsConstrainedIntermediate_outOfTreeSrvName_refused(JsseEngine engine) throws Exception {
    HeldCertificate root = root(null);
    HeldCertificate constrained = intermediate(root, constraints(new GeneralName(GeneralName.dNSName, "example.com")));
    HeldCertificate free = intermediate(root, null);
    AccountPolicy account = AccountPolicy.builder("user@example.net").emailAddress("user@example.net")
        .addEndpoint(MailEndpoint.of("imap.hoster.example", 993, MailService.IMAPS, HostProvenance.INSECURE_SRV))
        .build();
    SSLContext client = context(engine, trust(root), account);

    HandshakeResult refused = handshake(client, "imap.hoster.example",
        HeldCertificate.builder().addSrvName("_imaps.example.net").signedBy(constrained).build());
    HandshakeResult accepted = handshake(client, "imap.hoster.example",
        HeldCertificate.builder().addSrvName("_imaps.example.net").signedBy(free).build());

    assertFalse(refused.success());
    TrustDecision.Refused d = MailTls.decisionOf(refused.clientFailure())
        .orElseThrow(() -> new AssertionError(refused.clientFailure()));
    assertEquals("SI-17", d.rule());
    assertTrue(d.reason().contains("SRVName _imaps.example.net"), d.reason());
    accepted.assertSuccess();
  }

  /**
   * SRV-07: the JDK's PKIX cannot match otherName constraints and throws; MailTLS turns that into a
   * refusal that says why (never an engine internal_error, never an ignored constraint), even for a
   * name inside the constraint. {@code NameConstraintsCheck} holds the RFC 4985 §4 semantics for the
   * day a validator can evaluate them (NameConstraintsCheckTest).
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void srv07_srvNameConstrainedIntermediate_refusedWithReason(JsseEngine engine) throws Exception {
    HeldCertificate root = root(null);
    GeneralName imapsOnly = new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {
        new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.7"), new DERTaggedObject(true, 0, new DERIA5String("_imaps"))}));
    HeldCertificate constrained = intermediate(root, constraints(imapsOnly));
    AccountPolicy account = AccountPolicy.builder("user@example.net").emailAddress("user@example.net")
        .addEndpoint(MailEndpoint.of("imap.hoster.example", 993, MailService.IMAPS, HostProvenance.INSECURE_SRV))
        .build();
    SSLContext client = context(engine, trust(root), account);

    HandshakeResult refused = handshake(client, "imap.hoster.example",
        HeldCertificate.builder().addSrvName("_imaps.example.net").signedBy(constrained).build());

    assertFalse(refused.success());
    TrustDecision.Refused d = MailTls.decisionOf(refused.clientFailure())
        .orElseThrow(() -> new AssertionError(refused.clientFailure()));
    assertEquals("R8314-C-25", d.rule());
    assertTrue(d.reason().contains("SRV-07"), d.reason());
  }

  private static SSLContext context(JsseEngine engine, KeyStore trust, AccountPolicy account) throws Exception {
    MailTlsProvider provider = new MailTlsProvider(engine);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    MailTlsParameters.Builder p = MailTlsParameters.builder().trustStore(trust).policy(MailTlsPolicy.strict());
    if (account != null) {
      p.account(account);
    }
    tmf.init(p.build());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static SSLContext rawJdkClient(KeyStore trust) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
