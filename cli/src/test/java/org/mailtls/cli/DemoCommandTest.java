package org.mailtls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs {@code mailtls demo} end to end and checks its verdicts. */
class DemoCommandTest {

  @Test
  void demo_noArguments_everyVerdictAsExpected() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int status;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      status = Main.run("demo");
    } finally {
      System.setOut(saved);
    }
    String out = buf.toString(StandardCharsets.UTF_8);

    assertEquals(0, status, out);
    assertTrue(out.contains("13 certificates checked, 5 accepted as expected, 8 refused as expected, 0 unexpected."), out);
    assertTrue(out.contains("'*' is allowed only as the whole left-most label"), out);
    assertTrue(out.contains("mail.example.net\\x00.evil.example"), out);
  }

  @Test
  void help_listsDemo() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run("--help"));
    } finally {
      System.setOut(saved);
    }
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("demo"));
  }
}
