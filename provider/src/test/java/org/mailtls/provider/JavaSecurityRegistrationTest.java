package org.mailtls.provider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java.security} registration (issue: "What users do", item 1), tested in a forked JVM:
 * {@code security.provider.N=MailTLS} finds the provider through {@code
 * META-INF/services/java.security.Provider}, and {@code MailTLS SunJSSE} selects the engine.
 */
class JavaSecurityRegistrationTest {
  @TempDir Path dir;

  @Test
  void javaSecurity_providerByName_servicesObtainedByName() throws Exception {
    String out = runProbe("security.provider.13=MailTLS\n");

    assertTrue(out.contains("provider=MailTLS"), out);
    assertTrue(out.contains("over BCJSSE"), out);
    assertTrue(out.contains("protocols=TLSv1.3,TLSv1.2"), out);
    assertFalse(out.contains("_CBC_") || out.contains("TLS_RSA_") || out.contains("TLS_DHE_"), out);
  }

  @Test
  void javaSecurity_configArgument_selectsSunJsse() throws Exception {
    String out = runProbe("security.provider.13=MailTLS SunJSSE\n");

    assertTrue(out.contains("over SUNJSSE"), out);
    assertTrue(out.contains("protocols=TLSv1.3,TLSv1.2"), out);
  }

  private String runProbe(String securityLines) throws Exception {
    Path props = dir.resolve("mailtls.security");
    Files.writeString(props, securityLines, UTF_8);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-Djava.security.properties=" + props,
        "-cp", System.getProperty("java.class.path"), RegistrationProbe.class.getName()))
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
