package org.mailtls.policy.pin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.policy.pin.PinFixtures.pin;
import static org.mailtls.policy.pin.PinFixtures.sha;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FilePinStore}: the {@link PinStoreContractTest} contract (R8314-C-30, C-31, SI-22), every
 * check made again through a freshly opened store so it also proves persistence; plus the absent
 * file, reload and version rules of the file store.
 */
class FilePinStoreTest extends PinStoreContractTest {
  @TempDir Path dir;

  @Override
  PinStore newStore() throws PinStoreException {
    return FilePinStore.open(dir.resolve("pins.txt"));
  }

  @Override
  PinStore reopen(PinStore store) throws PinStoreException {
    return FilePinStore.open(((FilePinStore) store).file());
  }

  /** An absent file is an empty store, and opening it creates nothing; the first change creates the file. */
  @Test
  void open_absentFile_emptyStoreFileCreatedOnFirstWrite() throws Exception {
    Path file = dir.resolve("pins.txt");
    FilePinStore store = FilePinStore.open(file);
    assertEquals(List.of(), store.pinsFor("alice"));
    assertEquals(0, store.version());
    assertFalse(Files.exists(file));
    assertEquals(0, store.remove("alice", sha("x")));
    assertFalse(Files.exists(file), "a change that changes nothing writes nothing");
    store.add(pin("alice", "x"));
    assertTrue(Files.exists(file));
    assertTrue(Files.exists(dir.resolve("pins.txt.lock")));
  }

  /** A mistyped directory fails at open, naming it, instead of at the first pin. */
  @Test
  void open_missingDirectory_refusesNamingIt() {
    Path file = dir.resolve("no-such-dir").resolve("pins.txt");
    PinStoreException e = assertThrows(PinStoreException.class, () -> FilePinStore.open(file));
    assertTrue(e.getMessage().contains(dir.resolve("no-such-dir").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  /** Another process's change is seen after reload, and the version moves; a reload that finds nothing new keeps it. */
  @Test
  void reload_fileChangedByAnotherWriter_seesChangeVersionIncrements() throws Exception {
    Path file = dir.resolve("pins.txt");
    FilePinStore reader = FilePinStore.open(file);
    FilePinStore writer = FilePinStore.open(file);
    writer.add(pin("alice", "from-writer"));
    assertEquals(List.of(), reader.pinsFor("alice"), "readers use the snapshot until reload");
    long v = reader.version();
    reader.reload();
    assertEquals(List.of(pin("alice", "from-writer")), reader.pinsFor("alice"));
    assertEquals(v + 1, reader.version());
    reader.reload();
    assertEquals(v + 1, reader.version());
  }

  /** refresh() reloads only when the file changed: another writer's removal is seen (R8314-C-31). */
  @Test
  void refresh_fileChangedByAnotherWriter_seenOnlyThen() throws Exception {
    Path file = dir.resolve("pins.txt");
    FilePinStore client = FilePinStore.open(file);
    FilePinStore cli = FilePinStore.open(file);
    client.add(pin("alice", "pinned"));
    long v = client.version();
    client.refresh();
    assertEquals(v, client.version(), "nothing changed, nothing reloaded");
    cli.refresh();
    assertEquals(1, cli.remove("alice", sha("pinned")));
    client.refresh();
    assertEquals(List.of(), client.pinsFor("alice"));
    assertEquals(v + 1, client.version());
  }

  /** A write re-reads the file first, so a store never overwrites pins another store added meanwhile. */
  @Test
  void add_fileChangedByAnotherStoreSinceOpen_keepsBothPins() throws Exception {
    Path file = dir.resolve("pins.txt");
    FilePinStore one = FilePinStore.open(file);
    FilePinStore two = FilePinStore.open(file);
    one.add(pin("alice", "one"));
    two.add(pin("alice", "two"));
    assertEquals(List.of(pin("alice", "one"), pin("alice", "two")), two.pinsFor("alice"));
    assertEquals(2, FilePinStore.open(file).pinsFor("alice").size());
    assertEquals(1, one.remove("alice", sha("two")), "one removes a pin it learned of only by re-reading");
    assertEquals(List.of(pin("alice", "one")), FilePinStore.open(file).pinsFor("alice"));
  }

  /** Two store objects on one file in one JVM queue on the JVM-wide lock (no OverlappingFileLockException). */
  @Test
  void add_twoStoresSameFileTwoThreads_loseNothing() throws Exception {
    Path file = dir.resolve("pins.txt");
    List<FilePinStore> stores = List.of(FilePinStore.open(file), FilePinStore.open(dir.resolve("./pins.txt")));
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 2; t++) {
        FilePinStore store = stores.get(t);
        String prefix = "store" + t + "-";
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 30; i++) {
            store.add(pin("alice", prefix + i));
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
    assertEquals(60, FilePinStore.open(file).pinsFor("alice").size());
  }

  /** Reading the snapshot never touches the disk: a file broken after open does not disturb lookups. */
  @Test
  void find_fileBrokenAfterOpen_snapshotStillAnswers() throws Exception {
    Path file = dir.resolve("pins.txt");
    FilePinStore store = FilePinStore.open(file);
    CertificatePin p = pin("alice", "cert");
    store.add(p);
    Files.write(file, new byte[] {'x'});
    assertTrue(store.find("alice", p.host(), p.port(), p.service(), p.sha256()).isPresent());
    PinStoreException e = assertThrows(PinStoreException.class, store::reload);
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    assertEquals(List.of(p), store.pinsFor("alice"), "a failed reload keeps the snapshot");
    assertArrayEquals(new byte[] {'x'}, Files.readAllBytes(file));
  }
}
