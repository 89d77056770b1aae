package org.mailtls.policy.pin;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file-system steps of {@link FilePinStore}'s durable replace, one method each, so a test can
 * make one step fail the way a crash or a full disk would (a read-only directory is no such test:
 * root writes into it anyway). Production code uses {@link #DEFAULT}; nothing outside this package
 * can supply another.
 */
interface FileOps {
  FileOps DEFAULT = new FileOps() {};

  /** Writes {@code content} into the existing file {@code tmp} and forces it to the device (fsync). */
  default void writeDurably(Path tmp, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /**
   * Renames {@code tmp} over {@code target} in one step: a reader, or a process that dies at any
   * moment, sees either the whole old file or the whole new one (POSIX rename(2)).
   */
  default void moveAtomically(Path tmp, Path target) throws IOException {
    Files.move(tmp, target, ATOMIC_MOVE, REPLACE_EXISTING);
  }

  /**
   * Forces the directory entry of the rename to the device, so the new file survives a power loss
   * (rename is atomic but not durable until the directory is synced). Opening a directory for
   * reading is how the JDK exposes that on Linux and macOS; on Windows it fails with an {@link
   * IOException}, which the caller ignores for this step only: NTFS journals the rename itself.
   */
  default void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
