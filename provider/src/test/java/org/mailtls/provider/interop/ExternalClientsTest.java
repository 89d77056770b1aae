package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * The runner's own guarantees, which the interop tests rely on: a missing client fails (never
 * skips) naming the Debian package; a hung client is killed at its timeout and fails with its
 * output; stdin is delivered and output captured.
 */
@Timeout(30)
class ExternalClientsTest {
  @TempDir
  Path tmp;

  @Test
  void require_missingBinary_failsNamingTheDebianPackage() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> ExternalClients.require("gnutls-cli", tmp.toString()));
    assertTrue(e.getMessage().contains("install the Debian package gnutls-bin"), e::getMessage);
    AssertionFailedError s = assertThrows(AssertionFailedError.class,
        () -> ExternalClients.require("sslscan", tmp.toString()));
    assertTrue(s.getMessage().contains("apt-get install sslscan"), s::getMessage);
  }

  @Test
  void converse_hungClient_killedAtTimeoutWithOutputInTheFailure() {
    ExternalClients clients = new ExternalClients(tmp);
    long start = System.nanoTime();

    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> clients.converse(Duration.ofSeconds(1),
        "", "sh", "-c", "echo started; sleep 30"));

    assertTrue(e.getMessage().contains("timed out") && e.getMessage().contains("started"), e::getMessage);
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "not killed at the timeout");
  }

  @Test
  void converse_stdinDeliveredAndOutputCaptured() {
    ExternalClients.Run r = new ExternalClients(tmp).converse(Duration.ofSeconds(10), "a LOGOUT\n", "head", "-n", "1");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("a LOGOUT\n", r.output(), r::toString);
  }
}
