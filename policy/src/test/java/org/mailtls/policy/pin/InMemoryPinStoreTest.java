package org.mailtls.policy.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mailtls.policy.pin.PinFixtures.pin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link InMemoryPinStore}: the {@link PinStoreContractTest} contract (R8314-C-30, C-31, SI-22) and its CAS loop. */
class InMemoryPinStoreTest extends PinStoreContractTest {

  @Override
  PinStore newStore() {
    return new InMemoryPinStore();
  }

  @Override
  PinStore reopen(PinStore store) {
    return store;
  }

  /** Many threads racing on compare-and-set: every add lands, and the version counts each one exactly once. */
  @Test
  void add_eightThreadsRacing_everyPinKeptVersionCountsEachChange() throws Exception {
    InMemoryPinStore store = new InMemoryPinStore();
    int threads = 8;
    int perThread = 250;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String account = "account-" + (t % 2);
        String prefix = "t" + t + "-";
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            store.add(pin(account, prefix + i));
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
    assertEquals(threads * perThread / 2, store.pinsFor("account-0").size());
    assertEquals(threads * perThread / 2, store.pinsFor("account-1").size());
    assertEquals(threads * perThread, store.all().size());
    assertEquals(threads * perThread, store.version());
  }

  /** {@code of} keeps order and applies the no-duplicates rule like {@code add}; the version starts at 0. */
  @Test
  void of_pinsWithARepeatedRecord_laterReplacesEarlierVersionZero() {
    CertificatePin a = pin("alice", "a");
    CertificatePin b = pin("alice", "b");
    CertificatePin a2 = PinFixtures.withReason(a, "again");
    InMemoryPinStore store = InMemoryPinStore.of(List.of(a, b, a2));
    assertEquals(List.of(a2, b), store.pinsFor("alice"));
    assertEquals(0, store.version());
  }
}
