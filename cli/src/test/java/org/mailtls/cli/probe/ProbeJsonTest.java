package org.mailtls.cli.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailtls.testing.JsonReader;

/** The hand-written JSON writer, checked by parsing its output back, and the printable-text guard. */
class ProbeJsonTest {

  @Test
  void write_roundTripsEveryKindOfValue() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "quote \" backslash \\ newline \n tab \t nul \u0000 esc \u001b del \u007f c1 \u0085 ls \u2028 ü €");
    m.put("n", 42);
    m.put("b", true);
    m.put("null", null);
    m.put("list", Arrays.asList(1L, "x", null, List.of(), Map.of()));
    m.put("nested", Map.of("k", List.of(Map.of("deep", false))));
    String json = Json.write(m);

    Object back = JsonReader.parse(json);
    Map<String, Object> expected = new LinkedHashMap<>(m);
    expected.put("n", 42L);
    assertEquals(expected.toString(), back.toString());
    assertEquals(m.get("s"), JsonReader.at(back, "s"));
    assertEquals(new ArrayList<>(m.keySet()), new ArrayList<>(((Map<?, ?>) back).keySet()), "order kept");
  }

  @Test
  void write_escapesControlsSoOutputIsOneTokenPerLine() {
    String json = Json.write(Map.of("k", "a\u001b[2Jb\r\n"));
    assertEquals("{\n  \"k\": \"a\\u001b[2Jb\\r\\n\"\n}\n", json);
  }

  @Test
  void errorDocument_parses() {
    Object doc = JsonReader.parse(JsonReport.error("cannot connect to x:1: Connection refused"));
    assertEquals(2L, JsonReader.at(doc, "exitStatus"));
    assertEquals(false, JsonReader.at(doc, "meetsPolicy"));
  }

  @Test
  void printable_neutralisesTerminalControls() {
    assertEquals("CN=evil\\x1b]0;title\\x07\\x9b", Text.printable("CN=evil\u001b]0;title\u0007\u009b"));
    assertEquals("ordinary ü text", Text.printable("ordinary ü text"));
  }

  @Test
  void legacyChecks_everySuiteNameIsKnownToBouncyCastle() {
    for (LegacyCheck c : LegacyCheck.values()) {
      int[] suites = c.suites();
      assertEquals(c.suiteNames().size(), suites.length, c.name());
      assertEquals(c.suiteNames().get(0), c.nameOf(suites[0]));
    }
    assertEquals("0x1301", LegacyCheck.TLS11.nameOf(0x1301), "a suite it did not offer shows as hex");
  }
}
