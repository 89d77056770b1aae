package org.mailtls.provider.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A listing (path, type, size, modification time) of the system Postfix's directories: {@code
 * /etc/postfix}, {@code /var/spool/postfix}, {@code /var/lib/postfix}. Two equal snapshots mean the
 * private instances created, removed and changed nothing there (reading is allowed: the fixture
 * copies {@code postfix-files} and {@code dynamicmaps.cf}).
 */
record PostfixSystemState(Map<String, String> entries) {
  static final String[] DIRECTORIES = {"/etc/postfix", "/var/spool/postfix", "/var/lib/postfix"};

  static PostfixSystemState snapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String d : DIRECTORIES) {
      Path root = Path.of(d);
      if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        out.put(d, "absent");
        continue;
      }
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          out.put(p.toString(), (a.isDirectory() ? "d " : a.isSymbolicLink() ? "l " : "f ") + a.size() + " "
              + a.lastModifiedTime());
        }
      }
    }
    return new PostfixSystemState(Map.copyOf(out));
  }
}
