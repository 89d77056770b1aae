package org.mailtls.provider.interop;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opentest4j.AssertionFailedError;

/**
 * Operating-system helpers of {@link Postfix} and {@link PostfixDovecotAuth}: finding binaries,
 * running commands with a bound, stopping process trees, users and groups, free ports.
 */
final class PostfixOs {
  private PostfixOs() {}

  /**
   * SIGTERM to {@code root}, bounded wait, then SIGKILL to it and to every snapshotted or current
   * descendant. Liveness is polled every 20 ms: {@code onExit()} of a process that is not our child
   * polls with a growing back-off, which cost seconds per stop.
   */
  static void stopTree(ProcessHandle root, List<ProcessHandle> snapshot, String what) {
    List<ProcessHandle> tree = new ArrayList<>(snapshot);
    root.descendants().forEach(tree::add);
    root.destroy();
    if (!awaitDead(List.of(root), Postfix.STOP_TIMEOUT_MS)) {
      root.destroyForcibly();
    }
    root.descendants().forEach(tree::add);
    tree.add(root);
    if (!awaitDead(tree, 2_000)) {
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
    if (!awaitDead(tree, Postfix.STOP_TIMEOUT_MS)) {
      throw new IllegalStateException(what + ": processes did not stop: "
          + tree.stream().filter(PostfixOs::isRunning).map(h -> h.pid() + " " + h.info().command().orElse("?"))
              .toList());
    }
  }

  private static boolean awaitDead(List<ProcessHandle> handles, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (handles.stream().anyMatch(PostfixOs::isRunning)) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * Alive and not a zombie. Postfix's master does not wait for its children when it stops; they are
   * re-parented to PID 1, and in a container whose PID 1 reaps late they linger as zombies (state Z
   * in {@code /proc/PID/stat}), which {@link ProcessHandle#isAlive()} reports as alive.
   */
  static boolean isRunning(ProcessHandle h) {
    if (!h.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"), StandardCharsets.US_ASCII);
      char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException gone) {
      return h.isAlive();
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static Optional<Path> findBinary(String name) {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(":")) {
        if (!d.isEmpty()) {
          candidates.add(Path.of(d, name));
        }
      }
    }
    candidates.add(Path.of("/usr/sbin", name));
    candidates.add(Path.of("/usr/local/sbin", name));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** {@code postconf} next to {@code postfix}, with {@code -c dir} unless dir is null; its output. */
  static String postconf(Path postfix, Path configDir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(postfix.resolveSibling("postconf").toString()));
    if (configDir != null) {
      cmd.add("-c");
      cmd.add(configDir.toString());
    }
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("postconf", ".txt");
    try {
      int exit = run(new ProcessBuilder(cmd), out);
      String text = Files.readString(out);
      if (exit != 0) {
        throw new AssertionFailedError(String.join(" ", cmd) + " failed (exit " + exit + "): " + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static int run(ProcessBuilder pb, Path output) throws Exception {
    pb.environment().remove("MAIL_CONFIG");
    Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .start();
    if (!p.waitFor(Postfix.STARTUP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionFailedError(String.join(" ", pb.command()) + " did not finish within "
          + Postfix.STARTUP_TIMEOUT_MS + " ms: " + Files.readString(output));
    }
    return p.exitValue();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  static UserPrincipal lookupUser(String name) throws IOException {
    try {
      return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
    } catch (IOException e) {
      throw new AssertionFailedError("system user '" + name + "' is missing (Debian's postfix package creates "
          + "postfix and postdrop): " + Postfix.INSTALL_HINT, e);
    }
  }

  static void lookupGroup(String name) throws IOException {
    try {
      Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
    } catch (IOException e) {
      throw new AssertionFailedError("system group '" + name + "' is missing: " + Postfix.INSTALL_HINT, e);
    }
  }

  static int passwdField(String user, int index) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
      return lines.map(l -> l.split(":", -1))
          .filter(f -> f.length > 3 && f[0].equals(user))
          .map(f -> Integer.parseInt(f[index]))
          .findFirst()
          .orElseThrow(() -> new AssertionFailedError("no passwd entry for user " + user));
    }
  }
}
