package org.mailtls.policy.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.policy.pin.PinFixtures.pin;
import static org.mailtls.policy.pin.PinFixtures.sha;
import static org.mailtls.policy.pin.PinFixtures.withReason;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mailtls.policy.identity.MailService;

/**
 * What every {@link PinStore} must do, run against each implementation (subclasses supply the
 * store). RFC 8314 §5.4 pins are per account (R8314-C-30) and removable and listable (R8314-C-31);
 * RFC 6125 §7.1 binds each to its full context (SI-22), so a pin matches only its own account,
 * host, port, service and certificate. The setup-phase rule (R8314-C-28, C-29) is {@code PinGrant}'s
 * job, not the store's: the store only keeps what was granted.
 */
abstract class PinStoreContractTest {

  /** A new, empty store. */
  abstract PinStore newStore() throws Exception;

  /** The store as a fresh reader sees it: itself in memory, the file opened again for a file store. */
  abstract PinStore reopen(PinStore store) throws Exception;

  /** R8314-C-30, C-31: a pin is listed for its account and for no other. */
  @Test
  void add_newPin_listedForItsAccountOnly() throws Exception {
    PinStore store = newStore();
    CertificatePin alice = pin("alice@example.net", "cert-1");
    store.add(alice);
    for (PinStore s : List.of(store, reopen(store))) {
      assertEquals(List.of(alice), s.pinsFor("alice@example.net"));
      assertEquals(List.of(), s.pinsFor("bob@example.net"));
      assertEquals(List.of(), s.pinsFor("ALICE@example.net"));
    }
  }

  /** R8314-C-31: the listing keeps insertion order, across accounts interleaved. */
  @Test
  void pinsFor_severalPinsInterleaved_insertionOrderPerAccount() throws Exception {
    PinStore store = newStore();
    CertificatePin a1 = pin("alice", "a1");
    CertificatePin b1 = pin("bob", "b1");
    CertificatePin a2 = pin("alice", "smtp.example.net", 465, MailService.SUBMISSIONS, "a2");
    CertificatePin a3 = pin("alice", "a3");
    for (CertificatePin p : List.of(a1, b1, a2, a3)) {
      store.add(p);
    }
    assertEquals(List.of(a1, a2, a3), reopen(store).pinsFor("alice"));
    assertEquals(List.of(b1), reopen(store).pinsFor("bob"));
  }

  /** No duplicates: the same record (account, host, port, service, sha256) with new context replaces the old in place. */
  @Test
  void add_sameRecordNewContext_replacesInPlace() throws Exception {
    PinStore store = newStore();
    CertificatePin first = pin("alice", "first");
    CertificatePin second = pin("alice", "second");
    store.add(first);
    store.add(second);
    CertificatePin renewed = withReason(first, "hostname mismatch; accepted again");
    store.add(renewed);
    assertEquals(List.of(renewed, second), reopen(store).pinsFor("alice"));
    assertEquals(Optional.of(renewed), reopen(store).find("alice", first.host(), first.port(), first.service(),
        first.sha256()));
  }

  /** Re-adding an identical pin changes nothing, so the version (which drops cached sessions) stays. */
  @Test
  void add_identicalPin_versionUnchanged() throws Exception {
    PinStore store = newStore();
    CertificatePin p = pin("alice", "cert");
    store.add(p);
    long v = store.version();
    store.add(pin("alice", "cert"));
    assertEquals(v, store.version());
    assertEquals(List.of(p), store.pinsFor("alice"));
  }

  /** R8314-C-30, SI-22: a pin is found only for its exact account, host, port, service and certificate. */
  @Test
  void find_anyContextFieldDifferent_notFound() throws Exception {
    PinStore store = newStore();
    CertificatePin p = pin("alice", "imap.example.net", 993, MailService.IMAPS, "cert");
    store.add(p);
    PinStore s = reopen(store);
    assertEquals(Optional.of(p), s.find("alice", "imap.example.net", 993, MailService.IMAPS, sha("cert")));
    assertEquals(Optional.empty(), s.find("bob", "imap.example.net", 993, MailService.IMAPS, sha("cert")));
    assertEquals(Optional.empty(), s.find("alice", "mail.example.net", 993, MailService.IMAPS, sha("cert")));
    assertEquals(Optional.empty(), s.find("alice", "imap.example.net", 465, MailService.IMAPS, sha("cert")));
    assertEquals(Optional.empty(), s.find("alice", "imap.example.net", 993, MailService.IMAP, sha("cert")));
    assertEquals(Optional.empty(), s.find("alice", "imap.example.net", 993, MailService.IMAPS, sha("other")));
  }

  /** R8314-C-30: the same certificate pinned by two accounts stays two independent pins. */
  @Test
  void remove_sameCertificatePinnedByTwoAccounts_removesOnlyThatAccounts() throws Exception {
    PinStore store = newStore();
    store.add(pin("alice", "shared"));
    CertificatePin bob = pin("bob", "shared");
    store.add(bob);
    assertEquals(1, store.remove("alice", sha("shared")));
    PinStore s = reopen(store);
    assertEquals(List.of(), s.pinsFor("alice"));
    assertEquals(List.of(bob), s.pinsFor("bob"));
    assertTrue(s.find("bob", bob.host(), bob.port(), bob.service(), bob.sha256()).isPresent());
  }

  /** R8314-C-31: removing a fingerprint removes it on every endpoint of the account and says how many. */
  @Test
  void remove_fingerprintOnTwoEndpoints_removesBothReturnsTwo() throws Exception {
    PinStore store = newStore();
    store.add(pin("alice", "imap.example.net", 993, MailService.IMAPS, "wildcard-cert"));
    store.add(pin("alice", "smtp.example.net", 465, MailService.SUBMISSIONS, "wildcard-cert"));
    CertificatePin other = pin("alice", "other");
    store.add(other);
    assertEquals(2, store.remove("alice", sha("wildcard-cert")));
    assertEquals(List.of(other), reopen(store).pinsFor("alice"));
  }

  /** Removing what is not there changes nothing: returns 0, version unchanged. */
  @Test
  void remove_unknownFingerprint_returnsZeroVersionUnchanged() throws Exception {
    PinStore store = newStore();
    store.add(pin("alice", "cert"));
    long v = store.version();
    assertEquals(0, store.remove("alice", sha("never pinned")));
    assertEquals(0, store.remove("bob", sha("cert")));
    assertEquals(v, store.version());
  }

  /** Every change moves the version, so the provider drops sessions resumed on a pin that changed. */
  @Test
  void version_eachChange_increments() throws Exception {
    PinStore store = newStore();
    long v0 = store.version();
    store.add(pin("alice", "one"));
    long v1 = store.version();
    store.add(pin("alice", "two"));
    long v2 = store.version();
    store.add(withReason(pin("alice", "one"), "new reason"));
    long v3 = store.version();
    store.remove("alice", sha("two"));
    long v4 = store.version();
    assertTrue(v0 < v1 && v1 < v2 && v2 < v3 && v3 < v4, List.of(v0, v1, v2, v3, v4).toString());
  }

  /** Two threads adding at once lose nothing (no lost update between snapshot swaps or file rewrites). */
  @Test
  void add_twoThreadsConcurrently_loseNothing() throws Exception {
    PinStore store = newStore();
    int perThread = 50;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (String t : List.of("t1", "t2")) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            store.add(pin("shared", t + "-" + i));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    ImmutableList<CertificatePin> all = reopen(store).pinsFor("shared");
    Set<String> fingerprints = new HashSet<>();
    all.forEach(p -> fingerprints.add(p.sha256()));
    assertEquals(2 * perThread, all.size());
    assertEquals(2 * perThread, fingerprints.size());
    assertEquals(2 * perThread, store.pinsFor("shared").size());
  }
}
