package org.mailtls.policy.pin;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Replaces a whole file so that a reader, or a process killed at any instant, sees either the old
 * content or the new one, never a mix, and the new content survives a power loss once this returns:
 * write a temp file in the same directory, fsync it, rename it over the file, fsync the directory.
 * The caller must hold the file's write lock ({@link FilePinStore} holds an OS lock), because {@link
 * #deleteStaleTempFiles} treats every temp file it finds as left by a killed writer.
 */
final class AtomicFileReplace {
  /** Marks temp files: {@code <file>.mailtls-<random>.tmp}, in the file's directory. */
  static final String TEMP_MARK = ".mailtls-";

  private AtomicFileReplace() {}

  /**
   * Replaces {@code file}'s content with {@code content}. The new file keeps the old one's POSIX
   * permissions; a new file gets the temp file's owner-only ones. On any failure (including an
   * unchecked one) {@code file} is untouched and the temp file is deleted. An {@link IOException}
   * from the final directory sync alone is ignored: the rename has happened and stands, and some
   * platforms (Windows) cannot open a directory at all.
   *
   * @throws IOException if any step before or at the rename fails
   */
  static void replace(Path file, byte[] content, FileOps ops) throws IOException {
    Path dir = file.getParent();
    Path tmp = Files.createTempFile(dir, file.getFileName() + TEMP_MARK, ".tmp");
    boolean moved = false;
    try {
      if (Files.exists(file)) {
        copyPosixPermissions(file, tmp);
      }
      ops.writeDurably(tmp, content);
      ops.moveAtomically(tmp, file);
      moved = true;
    } finally {
      if (!moved) {
        deleteQuietly(tmp);
      }
    }
    try {
      ops.syncDirectory(dir);
    } catch (IOException e) {
      // Documented above: the rename is done; durability across power loss is best effort here.
    }
  }

  /**
   * Deletes the temp files a killed writer left next to {@code file}. Best effort: a temp file that
   * stays is harmless, since readers only ever open {@code file} itself.
   */
  static void deleteStaleTempFiles(Path file) {
    String prefix = file.getFileName() + TEMP_MARK;
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(file.getParent(),
        p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp"))) {
      for (Path p : stale) {
        deleteQuietly(p);
      }
    } catch (IOException | DirectoryIteratorException e) {
      // Best effort, as documented.
    }
  }

  private static void copyPosixPermissions(Path from, Path to) throws IOException {
    try {
      Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's ACLs apply to both files alike.
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // The next write deletes it (deleteStaleTempFiles).
    }
  }
}
