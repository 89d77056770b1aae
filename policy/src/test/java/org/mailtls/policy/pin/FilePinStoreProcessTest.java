package org.mailtls.policy.pin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.policy.pin.PinFixtures.sha;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs writing one {@link FilePinStore} at once lose nothing: the OS lock on {@code pins.txt.lock}
 * serializes their writes and each write re-reads the file, so neither overwrites the other's pins
 * with a stale snapshot. A mail client and {@code mailtls pin} running together is the real case;
 * a lost pin would be a certificate the user accepted during setup (R8314-C-28) that then fails, and
 * a lost removal a certificate the user revoked (R8314-C-31) that still works.
 */
class FilePinStoreProcessTest {
  private static final int PER_PROCESS = 50;

  @TempDir Path dir;

  @Test
  @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void add_twoProcessesConcurrently_allPinsKeptAndFileParses() throws Exception {
    Path file = dir.resolve("pins.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");
    List<Process> children = new ArrayList<>();
    try {
      for (String tag : List.of("A", "B")) {
        children.add(new ProcessBuilder(java, "-cp", classPath, PinStoreChildProcess.class.getName(),
            file.toString(), tag, String.valueOf(PER_PROCESS))
            .redirectError(dir.resolve(tag + ".err").toFile())
            .start());
      }
      for (Process p : children) {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
        assertEquals("ready", out.readLine(), () -> stderr(children.indexOf(p)));
      }
      for (Process p : children) {
        try (OutputStream in = p.getOutputStream()) {
          in.write("go\n".getBytes(UTF_8));
        }
      }
      for (int i = 0; i < children.size(); i++) {
        Process p = children.get(i);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child " + i + " did not finish in 120 s");
        int child = i;
        assertEquals(0, p.exitValue(), () -> "child " + child + " failed: " + stderr(child));
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }
    FilePinStore store = FilePinStore.open(file);
    Set<String> fingerprints = new HashSet<>();
    store.pinsFor("shared").forEach(p -> fingerprints.add(p.sha256()));
    List<String> lost = new ArrayList<>();
    for (String tag : List.of("A", "B")) {
      for (int i = 0; i < PER_PROCESS; i++) {
        if (!fingerprints.contains(sha(tag + "-" + i))) {
          lost.add(tag + "-" + i);
        }
      }
    }
    assertEquals(List.of(), lost, "pins lost by concurrent writers");
    assertEquals(2 * PER_PROCESS, store.all().size());
  }

  private String stderr(int child) {
    try {
      return Files.readString(dir.resolve((child == 0 ? "A" : "B") + ".err"), UTF_8);
    } catch (java.io.IOException e) {
      return "(no stderr: " + e + ")";
    }
  }
}
