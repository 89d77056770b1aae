package org.mailtls.provider.interop;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentest4j.AssertionFailedError;

/**
 * Runs the real TLS clients the server-side interop tests use ({@code openssl}, {@code curl}, {@code
 * gnutls-cli}, {@code sslscan}) as subprocesses: stdin is given text (then held open until the
 * process exits, so a client never quits on stdin EOF before the server answered), stdout and
 * stderr go together to a file under the test's directory, and every run has a timeout after which
 * the process tree is killed and the test fails with the output so far. A missing binary fails the
 * test with the Debian package to install (never a skip).
 */
final class ExternalClients {
  /** Binary → Debian package (bookworm) that ships it. */
  private static final Map<String, String> PACKAGES = Map.of(
      "openssl", "openssl", "curl", "curl", "gnutls-cli", "gnutls-bin", "sslscan", "sslscan");
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Path dir;

  ExternalClients(Path dir) {
    this.dir = dir;
  }

  /** One finished run: the command, its exit code and its combined output. */
  record Run(List<String> command, int exit, String output) {
    boolean succeeded() {
      return exit == 0;
    }

    /** One line for the test log: the command, the exit code and the lines that say what happened. */
    String summary() {
      return "$ " + String.join(" ", command) + " [exit " + exit + "] " + output.lines()
          .filter(l -> l.matches("(?i).*(Cipher is|Protocol  :|alert|error|Verify return code|^\\* OK|^a (OK|NO|BAD)"
              + "|- Description|- Status|Handshake was completed|enabled|Accepted|Preferred).*"))
          .map(String::strip).distinct().limit(40).toList();
    }

    /** For assertion messages: the command line, the exit code and everything it printed. */
    @Override
    public String toString() {
      return "$ " + String.join(" ", command) + "\n[exit " + exit + "]\n" + output;
    }
  }

  /** Fails the test, naming the Debian package, unless {@code binary} is an executable on PATH. */
  static Path require(String binary) {
    return require(binary, System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }

  /** {@link #require(String)} over the given PATH value. */
  static Path require(String binary, String path) {
    String pkg = PACKAGES.getOrDefault(binary, binary);
    for (String d : path.split(File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, binary);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionFailedError(binary + " is not installed (not on PATH): install the Debian package "
        + pkg + " (apt-get install " + pkg + ")");
  }

  /** Runs {@code command} with no input (stdin closed at once) and waits at most {@code timeout}. */
  Run run(Duration timeout, String... command) {
    return converse(timeout, null, command);
  }

  /**
   * Runs {@code command}, writes {@code stdin} (if not null) to it and holds stdin open until the
   * process exits or {@code timeout} passes; on timeout kills the process tree and fails.
   */
  Run converse(Duration timeout, String stdin, String... command) {
    require(command[0]);
    List<String> cmd = List.of(command);
    Path out = dir.resolve("run-" + RUNS.incrementAndGet() + "-" + new File(command[0]).getName() + ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SSL") || k.endsWith("_proxy") || k.endsWith("_PROXY"));
    pb.environment().put("LC_ALL", "C");
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new AssertionFailedError("cannot start " + cmd + ": " + e, e);
    }
    try {
      if (stdin != null) {
        OutputStream in = p.getOutputStream();
        in.write(stdin.getBytes(US_ASCII));
        in.flush();
      }
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        kill(p);
        throw new AssertionFailedError("timed out after " + timeout + ":\n" + new Run(cmd, -1, read(out)));
      }
      return new Run(cmd, p.exitValue(), read(out));
    } catch (IOException e) {
      // the client may exit (a refused handshake) before it read its stdin: a broken pipe is normal
      try {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          kill(p);
          throw new AssertionFailedError("timed out after " + timeout + ":\n" + new Run(cmd, -1, read(out)), e);
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        kill(p);
        throw new AssertionFailedError("interrupted", ie);
      }
      return new Run(cmd, p.exitValue(), read(out));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(p);
      throw new AssertionFailedError("interrupted while running " + cmd, e);
    } finally {
      try {
        p.getOutputStream().close();
      } catch (IOException alreadyGone) {
        // the process has exited
      }
      if (p.isAlive()) {
        kill(p);
      }
    }
  }

  /** Writes {@code text} to a file in the test directory (PEM files for the clients). */
  Path write(String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text, US_ASCII);
    } catch (IOException e) {
      throw new AssertionFailedError("cannot write " + name, e);
    }
  }

  /** The first line of {@code binary args...} (a version banner), for the report. */
  String version(String... command) {
    String out = run(Duration.ofSeconds(10), command).output().strip();
    String first = out.isEmpty() ? "" : out.lines().map(String::strip).filter(l -> !l.isEmpty())
        .filter(l -> Character.isLetterOrDigit(l.charAt(0))).findFirst().orElse(out.lines().findFirst().get());
    return String.join(" ", Arrays.asList(command)) + ": " + first;
  }

  private static void kill(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String read(Path out) {
    try {
      // sslscan colours even some --no-colour lines on some builds; strip ANSI escapes for parsing
      return new String(Files.readAllBytes(out), UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }
}
