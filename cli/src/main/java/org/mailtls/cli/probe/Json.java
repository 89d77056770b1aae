package org.mailtls.cli.probe;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A minimal JSON writer (RFC 8259) over plain Java values: {@code Map<String, ?>} (written in its
 * iteration order, so use a {@code LinkedHashMap}), {@code List<?>}, {@code String}, {@code Number},
 * {@code Boolean} and null.
 *
 * <p>Why not a JSON library: the report is one small, fixed-shape document, and the CLI's shaded jar
 * should not grow a dependency (and its CVE feed) for thirty lines of escaping.
 */
final class Json {
  private Json() {}

  /** {@code value} as pretty-printed JSON with two-space indentation and a final newline. */
  static String write(@Nullable Object value) {
    StringBuilder b = new StringBuilder(4096);
    write(b, value, 0);
    return b.append('\n').toString();
  }

  private static void write(StringBuilder b, @Nullable Object v, int depth) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String) {
      string(b, (String) v);
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append('{');
      String sep = "\n";
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(sep).append("  ".repeat(depth + 1));
        string(b, String.valueOf(e.getKey()));
        b.append(": ");
        write(b, e.getValue(), depth + 1);
        sep = ",\n";
      }
      b.append('\n').append("  ".repeat(depth)).append('}');
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      if (l.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append('[');
      String sep = "\n";
      for (Object o : l) {
        b.append(sep).append("  ".repeat(depth + 1));
        write(b, o, depth + 1);
        sep = ",\n";
      }
      b.append('\n').append("  ".repeat(depth)).append(']');
    } else {
      string(b, v.toString());
    }
  }

  /** A JSON string: quotes, backslash and every control character escaped; everything else as is. */
  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
