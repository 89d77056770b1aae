package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cipher-log line format (R8314-S-11): one token per value, hostile text cannot forge fields. */
class HandshakeLogRenderTest {
  private static String render(String... kv) {
    Map<String, String> f = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      f.put(kv[i], kv[i + 1]);
    }
    return HandshakeLog.render("tls handshake", f);
  }

  @Test
  void plainValues_unquoted() {
    assertEquals("tls handshake conn=7 version=TLSv1.3", render("conn", "7", "version", "TLSv1.3"));
  }

  @Test
  void spacesQuotesBackslashesEquals_quotedAndEscaped() {
    assertEquals("tls handshake a=\"CN=x, O=y\" b=\"say \\\"hi\\\"\" c=\"a\\\\b\" d=\"\"",
        render("a", "CN=x, O=y", "b", "say \"hi\"", "c", "a\\b", "d", ""));
  }

  /** A subject with a line break or ESC cannot start a forged log line or a terminal sequence. */
  @Test
  void controlCharacters_replaced_quotedOnlyWhenOtherwiseNeeded() {
    assertEquals("tls handshake a=x?y b=\"x? result=ok\"", render("a", "x\u001by", "b", "x\n result=ok"));
  }
}
