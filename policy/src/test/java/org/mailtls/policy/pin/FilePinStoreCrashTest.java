package org.mailtls.policy.pin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mailtls.policy.pin.PinFixtures.pin;
import static org.mailtls.policy.pin.PinFixtures.sha;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures during a write of {@link FilePinStore}: whatever step fails, and whenever a writer dies,
 * the pin file keeps its old bytes, the store keeps its old snapshot and version, and no temp file
 * is left for the next reader to trip over. Losing the file would drop every pin of every account
 * (R8314-C-30, C-31, SI-22) at once; keeping half of a change would be worse.
 */
class FilePinStoreCrashTest {
  @TempDir Path dir;
  private Path file;
  private CertificatePin existing;

  @BeforeEach
  void oneExistingPin() throws PinStoreException {
    file = dir.resolve("pins.txt");
    existing = pin("alice", "existing");
    FilePinStore.open(file).add(existing);
  }

  /** The "kill during write" point: the temp file is complete and synced, the rename never happens. */
  @Test
  void add_failureAfterTempWrittenBeforeRename_fileSnapshotVersionUnchangedNoTempLeft() throws Exception {
    byte[] before = Files.readAllBytes(file);
    FilePinStore store = FilePinStore.open(file, new FileOps() {
      @Override
      public void moveAtomically(Path tmp, Path target) throws IOException {
        assertTrue(new String(Files.readAllBytes(tmp), java.nio.charset.StandardCharsets.UTF_8)
            .contains(sha("new")), "the temp file holds the new content");
        throw new IOException("simulated crash before rename");
      }
    });
    long version = store.version();
    PinStoreException e = assertThrows(PinStoreException.class, () -> store.add(pin("alice", "new")));
    assertTrue(e.getMessage().contains(file.toRealPath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("simulated crash before rename"), e.getMessage());
    assertTrue(e.getMessage().contains("The file was left untouched"), e.getMessage());
    assertUnchanged(store, before, version);
  }

  /** An unexpected runtime failure at the same point is not converted, but leaves everything as it was too. */
  @Test
  void remove_runtimeFailureBeforeRename_fileSnapshotVersionUnchangedNoTempLeft() throws Exception {
    byte[] before = Files.readAllBytes(file);
    FilePinStore store = FilePinStore.open(file, new FileOps() {
      @Override
      public void moveAtomically(Path tmp, Path target) {
        throw new IllegalStateException("simulated bug");
      }
    });
    long version = store.version();
    assertThrows(IllegalStateException.class, () -> store.remove("alice", existing.sha256()));
    assertUnchanged(store, before, version);
  }

  /** A full disk: the temp file is half written when the write fails. */
  @Test
  void add_tempWriteFailsHalfway_fileSnapshotVersionUnchangedNoTempLeft() throws Exception {
    byte[] before = Files.readAllBytes(file);
    FilePinStore store = FilePinStore.open(file, new FileOps() {
      @Override
      public void writeDurably(Path tmp, byte[] content) throws IOException {
        Files.write(tmp, Arrays.copyOf(content, content.length / 2));
        throw new IOException("No space left on device");
      }
    });
    long version = store.version();
    PinStoreException e = assertThrows(PinStoreException.class, () -> store.add(pin("alice", "new")));
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    assertUnchanged(store, before, version);
  }

  /** The directory sync alone may fail (Windows cannot open a directory): the rename is done, the change stands. */
  @Test
  void add_directorySyncFails_changeKept() throws Exception {
    FilePinStore store = FilePinStore.open(file, new FileOps() {
      @Override
      public void syncDirectory(Path d) throws IOException {
        throw new IOException("Access is denied");
      }
    });
    store.add(pin("alice", "new"));
    assertEquals(List.of(existing, pin("alice", "new")), FilePinStore.open(file).pinsFor("alice"));
    assertEquals(Set.of("pins.txt", "pins.txt.lock"), names());
  }

  /**
   * A writer killed after creating its temp file leaves it behind: the next open ignores it (it
   * reads only the pin file), and the next write, holding the lock, deletes it.
   */
  @Test
  void open_staleTempFileOfKilledWriter_ignoredThenDeletedByNextWrite() throws Exception {
    byte[] half = Arrays.copyOf(Files.readAllBytes(file), 40);
    Path stale = dir.resolve("pins.txt" + AtomicFileReplace.TEMP_MARK + "1234567890.tmp");
    Files.write(stale, half);
    FilePinStore store = FilePinStore.open(file);
    assertEquals(List.of(existing), store.pinsFor("alice"));
    store.add(pin("alice", "after crash"));
    assertEquals(Set.of("pins.txt", "pins.txt.lock"), names());
    assertEquals(List.of(existing, pin("alice", "after crash")), FilePinStore.open(file).pinsFor("alice"));
  }

  /** A file damaged after open is never overwritten: the write re-reads it, refuses, and changes nothing. */
  @Test
  void add_fileDamagedAfterOpen_refusesFileSnapshotUnchanged() throws Exception {
    FilePinStore store = FilePinStore.open(file);
    byte[] damaged = Arrays.copyOf(Files.readAllBytes(file), Files.readAllBytes(file).length - 5);
    Files.write(file, damaged);
    long version = store.version();
    PinStoreException e = assertThrows(PinStoreException.class, () -> store.add(pin("alice", "new")));
    FilePinStoreFormatTest.assertRefusal(e, file, 3, "does not end with a newline");
    assertTrue(e.getMessage().startsWith("cannot add pin sha256:" + sha("new")), e.getMessage());
    assertUnchanged(store, damaged, version);
  }

  /** The rewritten file keeps the permissions the user gave it (the temp file starts owner-only). */
  @Test
  void add_existingFileMode0640_modeKept() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    FilePinStore.open(file).add(pin("alice", "new"));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  private void assertUnchanged(FilePinStore store, byte[] bytes, long version) throws IOException {
    assertArrayEquals(bytes, Files.readAllBytes(file), "the pin file is byte-identical");
    assertEquals(List.of(existing), store.pinsFor("alice"), "the snapshot is unchanged");
    assertEquals(version, store.version());
    assertEquals(Set.of("pins.txt", "pins.txt.lock"), names(), "no temp file is left");
  }

  private Set<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
