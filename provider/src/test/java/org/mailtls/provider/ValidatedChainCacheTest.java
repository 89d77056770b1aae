package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mailtls.policy.RevocationMode;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;
import org.mailtls.testing.TestPki;

/**
 * The validated-chain cache (issue #8): a repeated chain is answered without PKIX, and each rule
 * that keeps a hit safe is proven by a case where a stale answer would have been wrong. Every
 * test uses its own cache, so the hit counts are exact.
 */
class ValidatedChainCacheTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private static final TestPki PKI = TestPki.create(KeyType.EC_P256, Clock.fixed(T0, ZoneOffset.UTC));
  private static final Set<TrustAnchor> ANCHORS = Set.of(new TrustAnchor(PKI.root().certificate(), null));
  private static final HeldCertificate LEAF = PKI.leaf().addDnsName("mail.example.net").build();
  private static final List<X509Certificate> CHAIN = List.of(LEAF.certificate(), PKI.intermediate().certificate());
  private static final String SERVER = ChainValidation.SERVER_AUTH;

  private final ValidatedChainCache cache = new ValidatedChainCache(16);
  private final MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(1)));

  private ChainValidation validation(Set<TrustAnchor> anchors, RevocationMode revocation, int maxChainLength) {
    return new ChainValidation(new PathValidator(anchors, revocation, clock, maxChainLength), cache);
  }

  private ChainValidation validation() {
    return validation(ANCHORS, RevocationMode.NONE, 10);
  }

  @Test
  void repeatedChain_secondDecisionAnsweredFromCache() {
    ChainValidation v = validation();

    assertOk(v.validate(CHAIN, List.of(), SERVER));
    assertEquals(0, cache.hits());
    assertOk(v.validate(CHAIN, List.of(), SERVER));

    assertEquals(1, cache.hits());
    assertEquals(1, cache.size());
  }

  @Test
  void otherContextSameAnchorsAndPolicy_sharesTheEntry() {
    validation().validate(CHAIN, List.of(), SERVER);

    assertOk(validation().validate(CHAIN, List.of(), SERVER));

    assertEquals(1, cache.hits());
  }

  /** The key is the exact bytes: another leaf, or the same certificates in another order, is new. */
  @Test
  void differentChainBytes_neverAHit() {
    ChainValidation v = validation();
    v.validate(CHAIN, List.of(), SERVER);

    HeldCertificate sameNameOtherKey = PKI.leaf().addDnsName("mail.example.net").build();
    assertOk(v.validate(List.of(sameNameOtherKey.certificate(), PKI.intermediate().certificate()), List.of(), SERVER));
    assertOk(v.validate(List.of(LEAF.certificate(), PKI.intermediate().certificate(), PKI.root().certificate()),
        List.of(), SERVER));

    assertEquals(0, cache.hits());
    assertEquals(3, cache.size());
  }

  /** Changed trust anchors: a context that does not trust the CA refuses, whatever another context cached. */
  @Test
  void otherTrustAnchors_neverSeeTheEntry() {
    validation().validate(CHAIN, List.of(), SERVER);
    TestPki other = TestPki.create(KeyType.EC_P256, Clock.fixed(T0, ZoneOffset.UTC));

    ChainValidation.Outcome o = validation(Set.of(new TrustAnchor(other.root().certificate(), null)),
        RevocationMode.NONE, 10).validate(CHAIN, List.of(), SERVER);

    assertFalse(o.ok());
    assertEquals("R8314-C-25", o.rule());
    assertEquals(0, cache.hits());
  }

  /** Changed policy: a revocation mode that requires status validates in full and refuses (no status here). */
  @Test
  void policyRequiringRevocationStatus_neverUsesTheCache() {
    validation().validate(CHAIN, List.of(), SERVER);

    ChainValidation.Outcome o = validation(ANCHORS, RevocationMode.REQUIRE_STATUS, 10).validate(CHAIN, List.of(), SERVER);

    assertFalse(o.ok(), "no CRL or OCSP is reachable, so requiring status must refuse");
    assertEquals(0, cache.hits());
  }

  /** Changed policy: another path length limit is another fingerprint, so a full validation. */
  @Test
  void policyWithOtherChainLimit_isAnotherKey() {
    validation().validate(CHAIN, List.of(), SERVER);

    ChainValidation.Outcome o = validation(ANCHORS, RevocationMode.NONE, 1).validate(CHAIN, List.of(), SERVER);

    assertFalse(o.ok(), "a one-certificate path limit cannot hold leaf + intermediate");
    assertEquals(0, cache.hits());
  }

  /** A stapled OCSP response is always checked: a "revoked" staple refuses a chain cached without one. */
  @Test
  void stapledResponse_bypassesTheCache() throws Exception {
    ChainValidation v = validation(ANCHORS, RevocationMode.STAPLED_OCSP, 10);
    assertOk(v.validate(CHAIN, List.of(), SERVER));

    byte[] revoked = PathValidatorTest.revokedResponseFor(PKI, LEAF, clock.instant());
    ChainValidation.Outcome o = v.validate(CHAIN, List.of(revoked), SERVER);

    assertFalse(o.ok());
    assertEquals(0, cache.hits());
  }

  /** Never outlives the earliest notAfter: here the intermediate's, which ends before the leaf's. */
  @Test
  void entryEndsAtEarliestNotAfterInTheChain() {
    HeldCertificate shortIntermediate = HeldCertificate.builder()
        .clock(Clock.fixed(T0, ZoneOffset.UTC))
        .subjectCommonName("Short-lived intermediate")
        .keyType(KeyType.EC_P256)
        .certificateAuthority(0)
        .validity(T0, T0.plus(Duration.ofDays(10)))
        .signedBy(PKI.root())
        .build();
    HeldCertificate leaf = HeldCertificate.builder().addDnsName("mail.example.net").keyType(KeyType.EC_P256)
        .validity(T0, T0.plus(Duration.ofDays(300))).signedBy(shortIntermediate).build();
    List<X509Certificate> chain = List.of(leaf.certificate(), shortIntermediate.certificate());
    ChainValidation v = validation();
    assertOk(v.validate(chain, List.of(), SERVER));
    clock.set(T0.plus(Duration.ofDays(10)));
    assertTrue(v.validate(chain, List.of(), SERVER).ok(), "the last second of validity is still valid");
    assertEquals(1, cache.hits());

    clock.set(T0.plus(Duration.ofDays(10)).plusSeconds(1));
    ChainValidation.Outcome o = v.validate(chain, List.of(), SERVER);

    assertFalse(o.ok(), "the intermediate expired, whatever the cache held");
    assertEquals(1, cache.hits());
    assertEquals(0, cache.size(), "an entry outside its window is dropped");
  }

  @Test
  void clockBeforeNotBefore_noHit() {
    ChainValidation v = validation();
    v.validate(CHAIN, List.of(), SERVER);
    clock.set(T0.minus(Duration.ofDays(2)));

    assertFalse(v.validate(CHAIN, List.of(), SERVER).ok());
    assertEquals(0, cache.hits());
  }

  /** The required EKU is part of the key: a serverAuth-only leaf cached as a server is refused as a client. */
  @Test
  void serverAuthOnlyLeaf_cachedAsServer_refusedAsClient() {
    HeldCertificate serverOnly = PKI.leaf().addDnsName("mail.example.net").extendedKeyUsage(SERVER).build();
    List<X509Certificate> chain = List.of(serverOnly.certificate(), PKI.intermediate().certificate());
    ChainValidation v = validation();
    assertOk(v.validate(chain, List.of(), SERVER));

    ChainValidation.Outcome o = v.validate(chain, List.of(), ChainValidation.CLIENT_AUTH);

    assertFalse(o.ok());
    assertTrue(o.reason().contains("clientAuth"), o.reason());
    assertEquals(0, cache.hits());
  }

  /** Failures are never stored: a refused chain is refused again by a full validation. */
  @Test
  void refusedChain_notCached() {
    ChainValidation v = validation();
    List<X509Certificate> leafOnly = List.of(LEAF.certificate());

    assertFalse(v.validate(leafOnly, List.of(), SERVER).ok());
    assertFalse(v.validate(leafOnly, List.of(), SERVER).ok());

    assertEquals(0, cache.size());
    assertEquals(0, cache.hits());
  }

  /** Bounded: a peer presenting endless new valid chains cannot grow the cache past its size. */
  @Test
  void cacheIsBounded() {
    ValidatedChainCache small = new ValidatedChainCache(2);
    ChainValidation v = new ChainValidation(new PathValidator(ANCHORS, RevocationMode.NONE, clock, 10), small);
    for (int i = 0; i < 5; i++) {
      HeldCertificate leaf = PKI.leaf().addDnsName("mail" + i + ".example.net").build();
      assertOk(v.validate(List.of(leaf.certificate(), PKI.intermediate().certificate()), List.of(), SERVER));
    }

    assertTrue(small.size() <= 2, "size " + small.size());
  }

  private static void assertOk(ChainValidation.Outcome o) {
    assertTrue(o.ok(), () -> o.rule() + ": " + o.reason());
  }

  @Test
  void nonPositiveSize_refused() {
    assertThrows(IllegalArgumentException.class, () -> new ValidatedChainCache(0));
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
