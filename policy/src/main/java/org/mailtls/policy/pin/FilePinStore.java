package org.mailtls.policy.pin;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.mailtls.policy.identity.MailService;

/**
 * A pin store kept in one UTF-8 text file that people can read, diff and back up, and that several
 * processes (a mail client and {@code mailtls pin}, say) can change at once without losing pins.
 *
 * <h2>File format, version 1</h2>
 *
 * <p>Line 1 is exactly {@code # mailtls-pins v1}. Every further line is blank, a comment (first
 * character {@code #}), or one pin: 8 fields separated by one tab, the line ending in LF (a CR
 * before the LF is tolerated):
 *
 * <pre>
 * # mailtls-pins v1
 * # account  host  port  service  sha256  pinnedAt  chainSha256  reason  (tab-separated; ...)
 * alice@example.net⇥imap.example.net⇥993⇥imaps⇥9f91161f43433e49a6de6db680d79f60159f2e4ac9172621a12846428158440b⇥2025-03-01T09:30:00Z⇥9f91161f43433e49a6de6db680d79f60159f2e4ac9172621a12846428158440b,6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126⇥certificate expired on 2025-02-28;\tuser accepted it during setup
 * </pre>
 *
 * <p>(⇥ is a tab; {@code \t} in the reason is an escaped tab that belongs to the value.) The fields
 * are the RFC 6125 §7.1 context of the pin (SI-22): account id; normalized host; port 1..65535;
 * service label ({@link MailService#label()}); the pinned certificate's SHA-256 as 64 lower-case hex
 * digits; when it was pinned, as an ISO-8601 UTC instant; the SHA-256s of the chain the server
 * presented, leaf first, comma-separated; the validation failure the user accepted. Account, host
 * and reason are escaped: backslash as {@code \\}, tab {@code \t}, LF {@code \n}, CR {@code \r}, and
 * any other control, format (e.g. bidi override), line/paragraph separator or unpaired surrogate
 * character as {@code \}{@code u} and 4 hex digits, and a {@code #} starting a field as
 * {@code \}{@code u0023} (the line would read as a comment); any other backslash sequence is an
 * error. So no value can split a field or a line, or hide in the file. Pins appear in insertion
 * order.
 *
 * <p>Reading is all or nothing: a missing or unknown header (such as {@code v2} from a newer
 * MailTLS), a line without its final newline (a file cut short), a wrong field count, a bad
 * escape, port, service label, fingerprint, instant or chain, or two lines for the same record, and
 * {@link #open} (or {@link #reload}, or a write) refuses with a {@link PinStoreException} naming the
 * file, the line and the field, and the file is left exactly as it was (fail closed: skipping a line
 * would drop a pin the user relies on, or revive one removed by hand). A file cut exactly at a line
 * end cannot be told from a shorter file; writes never produce one (see below).
 *
 * <h2>Absent file</h2>
 *
 * <p>An absent file is an empty store; the file (and {@code <file>.lock}) are created on the first
 * change. Its directory must exist when the store is opened, so a mistyped path fails at once
 * instead of on the first pin. A symbolic link is followed: writes replace its target.
 *
 * <h2>Writes</h2>
 *
 * <p>{@link #add} and {@link #remove} hold a JVM-wide lock for the file (so two stores opened on
 * the same file in one JVM queue instead of failing with {@code OverlappingFileLockException}) and
 * an OS lock ({@link FileChannel#lock()}) on {@code <file>.lock}, which is never deleted (deleting a
 * lock file lets two processes lock two different files). Under both they re-read the file, since
 * another process may have changed it, apply the change, write the whole content to a temp file
 * {@code <file>.mailtls-<random>.tmp} in the same directory, fsync it, rename it over the file
 * atomically, and fsync the directory (an {@link IOException} from that last step alone is ignored:
 * Windows cannot open a directory, and the rename has already happened). The new file keeps the old
 * one's POSIX permissions; a new file gets the temp file's owner-only permissions. A failure at any
 * step leaves the file and this store's snapshot unchanged and deletes the temp file; a temp file
 * left by a killed process is ignored by readers and deleted by the next write. A change that
 * changes nothing (an identical pin, a fingerprint not pinned) writes nothing.
 *
 * <p>Readers ({@link #pinsFor}, {@link #find}) use an immutable in-memory snapshot and never touch
 * the disk; {@link #reload} re-reads the file (no OS lock needed: the rename makes every read see
 * one whole version). Changes by other processes are seen after a reload or this store's next
 * write. {@link #version()} increments whenever the snapshot's content changes: on a change, and on
 * a reload or re-read that found different content. The OS lock is advisory and, on network file
 * systems, only as good as their lock support; keep the file on a local disk.
 */
public final class FilePinStore implements PinStore {
  /** The file version this store last read or wrote. */
  private volatile String seen = "";
  /** Larger files are refused rather than read into memory: 16 MiB is about 50 000 pins. */
  static final int MAX_BYTES = 16 << 20;

  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  /** Pins and version together, so a reader never pairs new pins with an old version. */
  private record State(PinList pins, long version) {}

  private final Path file;
  private final Path lockFile;
  private final FileOps ops;
  private final ReentrantLock lock;
  private volatile State state = new State(PinList.EMPTY, 0);

  private FilePinStore(Path file, FileOps ops) {
    this.file = file;
    this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
    this.ops = ops;
    this.lock = JVM_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
  }

  /**
   * Opens the store kept in {@code file}; an absent file is an empty store (see the class comment).
   *
   * @throws PinStoreException if the directory does not exist, or the file cannot be read or is not
   *     a valid pin file; the message names the file, the line and the fix, and the file is untouched
   */
  public static FilePinStore open(Path file) throws PinStoreException {
    return open(file, FileOps.DEFAULT);
  }

  /** {@link #open(Path)} with the file-system steps of a write supplied by a test. */
  static FilePinStore open(Path file, FileOps ops) throws PinStoreException {
    requireNonNull(file, "file");
    requireNonNull(ops, "ops");
    FilePinStore store = new FilePinStore(resolve(file), ops);
    store.reload("cannot open pin store");
    return store;
  }

  private static Path resolve(Path file) throws PinStoreException {
    Path abs = file.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    if (dir == null || abs.getFileName() == null || !Files.isDirectory(dir)) {
      throw new PinStoreException("cannot open pin store " + abs + ": the directory " + dir + " does not exist. "
          + "Fix: create the directory, or give a pin file in an existing one.");
    }
    try {
      return Files.isSymbolicLink(abs) ? abs.toRealPath() : dir.toRealPath().resolve(abs.getFileName());
    } catch (IOException e) {
      throw new PinStoreException("cannot open pin store " + abs + ": cannot resolve the path (" + e
          + "). Fix: if it is a symbolic link, make it point to an existing file or remove it.", e);
    }
  }

  /** The pin file, absolute, with symbolic links resolved. */
  public Path file() {
    return file;
  }

  @Override
  public ImmutableList<CertificatePin> pinsFor(String accountId) {
    return state.pins().forAccount(accountId);
  }

  @Override
  public Optional<CertificatePin> find(String accountId, String host, int port, MailService service,
      String certificateSha256) {
    return state.pins().find(accountId, host, port, service, certificateSha256);
  }

  /** Every pin of every account, in insertion order. */
  public ImmutableList<CertificatePin> all() {
    return state.pins().all();
  }

  @Override
  public void add(CertificatePin pin) throws PinStoreException {
    requireNonNull(pin, "pin");
    update(pins -> pins.with(pin), "cannot add " + pin + " to pin store");
  }

  @Override
  public int remove(String accountId, String sha256) throws PinStoreException {
    requireNonNull(accountId, "accountId");
    requireNonNull(sha256, "sha256");
    PinList before = update(pins -> pins.without(accountId, sha256),
        "cannot remove pin sha256:" + sha256 + " of account " + accountId + " from pin store");
    return before.size() - before.without(accountId, sha256).size();
  }

  @Override
  public long version() {
    return state.version();
  }

  /**
   * Re-reads the file, so changes made by other processes become visible; {@link #version()}
   * increments if the content differs from the snapshot.
   *
   * @throws PinStoreException if the file cannot be read or is not valid; the snapshot is kept then
   */
  public void reload() throws PinStoreException {
    reload("cannot reload pin store");
  }

  private void reload(String action) throws PinStoreException {
    lock.lock();
    try {
      commit(read(action));
    } finally {
      lock.unlock();
    }
  }

  /** Applies {@code change} to the file's current content under both locks; returns that content. */
  private PinList update(UnaryOperator<PinList> change, String action) throws PinStoreException {
    lock.lock();
    try {
      FileChannel lockChannel;
      try {
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new PinStoreException(action + " " + file + ": cannot open the lock file " + lockFile + " (" + e
            + "). Nothing was changed. Fix: make " + file.getParent() + " writable for this user.", e);
      }
      try {
        lockChannel.lock(); // released when the channel closes
        PinList onDisk = read(action);
        AtomicFileReplace.deleteStaleTempFiles(file);
        PinList next = change.apply(onDisk);
        if (!next.equals(onDisk)) {
          write(next, action);
        }
        commit(next);
        return onDisk;
      } catch (IOException e) {
        throw new PinStoreException(action + " " + file + ": cannot lock " + lockFile + " (" + e
            + "). Nothing was changed. Fix: keep the pin file on a local file system that supports locks.", e);
      } finally {
        closeQuietly(lockChannel);
      }
    } finally {
      lock.unlock();
    }
  }

  private PinList read(String action) throws PinStoreException {
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return PinList.EMPTY;
    } catch (IOException e) {
      throw new PinStoreException(action + " " + file + ": cannot read it (" + e + "). The file was left "
          + "untouched. Fix: check that it is a regular file readable by this user.", e);
    }
    if (content.length > MAX_BYTES) {
      throw new PinStoreException(action + " " + file + ": the file is larger than " + MAX_BYTES + " bytes, far "
          + "more than any pin store needs. The file was left untouched. Fix: check that it is a MailTLS pin file.");
    }
    return PinFileFormat.parse(content, file, action);
  }

  private void write(PinList next, String action) throws PinStoreException {
    try {
      AtomicFileReplace.replace(file, PinFileFormat.format(next), ops);
    } catch (IOException e) {
      throw new PinStoreException(action + " " + file + ": writing the new content failed (" + e + "). The file "
          + "was left untouched and nothing was changed. Fix: check free space and permissions in "
          + file.getParent() + ".", e);
    }
  }

  /** Installs {@code pins} as the snapshot; the version moves only if the content differs. */
  private void commit(PinList pins) {
    State s = state;
    if (!s.pins().equals(pins)) {
      state = new State(pins, s.version() + 1);
    }
    seen = stamp();
  }

  /** Reloads only when the file changed since this store last read or wrote it (see {@link PinStore#refresh}). */
  @Override
  public void refresh() throws PinStoreException {
    if (!stamp().equals(seen)) {
      reload("cannot refresh pin store");
    }
  }

  /** Identifies one version of the file: every atomic replace gives a new file key (inode). */
  private String stamp() {
    try {
      java.nio.file.attribute.BasicFileAttributes a =
          Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
      return a.fileKey() + "|" + a.lastModifiedTime().toInstant() + "|" + a.size();
    } catch (IOException e) {
      return "absent";
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // Closing releases the OS lock; the change itself is complete (or was refused) by now.
    }
  }

  @Override
  public String toString() {
    State s = state;
    return "pin store " + file + " (" + s.pins() + ", version " + s.version() + ")";
  }
}
