package org.mailtls.policy.pin;

import static org.mailtls.policy.pin.PinFieldEscaping.escape;
import static org.mailtls.policy.pin.PinFieldEscaping.shown;

import com.google.common.base.Joiner;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailtls.policy.identity.MailService;

/**
 * Reads and writes version 1 of the pin file format; {@link FilePinStore}'s javadoc describes it
 * with an example. Reading is strict and all-or-nothing: the first problem stops it with a {@link
 * PinStoreException} naming the file, the line and the field, because skipping a line would silently
 * drop a pin the user relies on, or keep one the user removed by hand (fail closed).
 */
final class PinFileFormat {
  /** The version this code reads and writes. */
  static final int VERSION = 1;

  static final String HEADER = "# mailtls-pins v" + VERSION;

  /** Written after the header for people reading the file; like every comment, not preserved. */
  static final String COLUMNS = "# account\thost\tport\tservice\tsha256\tpinnedAt\tchainSha256\treason"
      + "  (tab-separated; \\\\ \\t \\n \\r \\uXXXX escaped)";

  private static final Pattern ANY_HEADER = Pattern.compile("#\\s*mailtls-pins\\s+v(\\d{1,9})\\s*");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final String[] FIELD_NAMES =
      {"account", "host", "port", "service", "sha256", "pinnedAt", "chainSha256", "reason"};

  private PinFileFormat() {}

  /** The file content for {@code pins}: header, column comment, one line per pin, each ending in LF. */
  static byte[] format(PinList pins) {
    StringBuilder sb = new StringBuilder(128 + 256 * pins.size());
    sb.append(HEADER).append('\n').append(COLUMNS).append('\n');
    for (CertificatePin p : pins.all()) {
      sb.append(escape(p.accountId())).append('\t')
          .append(escape(p.host())).append('\t')
          .append(p.port()).append('\t')
          .append(p.service().label()).append('\t')
          .append(p.sha256()).append('\t')
          .append(p.pinnedAt()).append('\t')
          .append(Joiner.on(',').join(p.chainSha256())).append('\t')
          .append(escape(p.reason())).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses a whole file.
   *
   * @param file named in error messages
   * @param action what the caller was doing, e.g. "cannot open pin store", starts error messages
   * @throws PinStoreException naming {@code file}, the line, what is wrong and the fix
   */
  static PinList parse(byte[] content, Path file, String action) throws PinStoreException {
    List<CertificatePin> pins = new ArrayList<>();
    Map<PinList.Key, Integer> lineOfKey = new HashMap<>();
    int start = 0;
    int lineNo = 0;
    while (start < content.length || lineNo == 0) {
      lineNo++;
      int end = indexOf(content, (byte) '\n', start);
      if (end < 0) {
        String why = content.length == 0
            ? "the file is empty; it must start with the line \"" + HEADER + "\""
            : "the line does not end with a newline, so the file was cut short (an interrupted copy or a full disk)";
        throw error(file, action, lineNo, why, content.length == 0
            ? "delete the file (a missing file is an empty store) or write that header line"
            : "restore the file from a backup, or, if you edited it by hand, end the last line with a newline");
      }
      String line = decode(content, start, end, file, action, lineNo);
      start = end + 1;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1); // a file saved with CRLF; raw CR never occurs in a field
      }
      if (lineNo == 1) {
        checkHeader(line, file, action);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        CertificatePin pin = parseRecord(line, file, action, lineNo);
        Integer earlier = lineOfKey.putIfAbsent(PinList.Key.of(pin), lineNo);
        if (earlier != null) {
          throw error(file, action, lineNo, "the same account, host, port, service and sha256 as line " + earlier,
              "delete one of the two lines");
        }
        pins.add(pin);
      }
    }
    return PinList.of(pins);
  }

  private static void checkHeader(String line, Path file, String action) throws PinStoreException {
    if (line.equals(HEADER)) {
      return;
    }
    Matcher m = ANY_HEADER.matcher(line);
    if (m.matches() && !m.group(1).equals(String.valueOf(VERSION))) {
      throw error(file, action, 1, "the file is in pin format v" + m.group(1) + ", probably written by a newer "
          + "MailTLS; this MailTLS reads only format v" + VERSION,
          "use the MailTLS version that wrote the file, or upgrade this one");
    }
    throw error(file, action, 1, "expected the header \"" + HEADER + "\", found \"" + shown(line) + "\"",
        "check that this is a MailTLS pin file; if it is, make \"" + HEADER + "\" its first line");
  }

  private static CertificatePin parseRecord(String line, Path file, String action, int lineNo)
      throws PinStoreException {
    String[] f = line.split("\t", -1);
    if (f.length != FIELD_NAMES.length) {
      throw error(file, action, lineNo, "found " + f.length + " tab-separated fields, expected " + FIELD_NAMES.length
          + " (" + String.join(", ", FIELD_NAMES) + ")", "correct or delete the line");
    }
    String account = unescape(f[0], 0, file, action, lineNo);
    String host = unescape(f[1], 1, file, action, lineNo);
    if (!PORT.matcher(f[2]).matches() || Integer.parseInt(f[2]) < 1 || Integer.parseInt(f[2]) > 65_535) {
      throw fieldError(file, action, lineNo, 2, f[2], "is not a port number 1..65535");
    }
    int port = Integer.parseInt(f[2]);
    MailService service = MailService.fromLabel(f[3]).orElseThrow(() -> fieldError(file, action,
        lineNo, 3, f[3], "is not a mail service; expected one of " + serviceLabels()));
    if (!HEX64.matcher(f[4]).matches()) {
      throw fieldError(file, action, lineNo, 4, f[4], "is not a SHA-256: expected 64 lower-case hex digits");
    }
    Instant pinnedAt;
    try {
      pinnedAt = Instant.parse(f[5]);
    } catch (DateTimeParseException e) {
      throw fieldError(file, action, lineNo, 5, f[5], "is not an ISO-8601 UTC instant like 2025-03-01T09:30:00Z");
    }
    List<String> chain = Arrays.asList(f[6].split(",", -1));
    for (String c : chain) {
      if (!HEX64.matcher(c).matches()) {
        throw fieldError(file, action, lineNo, 6, f[6],
            "must be comma-separated SHA-256s (64 lower-case hex digits each), leaf first; \"" + shown(c) + "\" is not");
      }
    }
    String reason = unescape(f[7], 7, file, action, lineNo);
    try {
      return CertificatePin.of(account, host, port, service, f[4], pinnedAt, chain, reason);
    } catch (IllegalArgumentException e) {
      throw error(file, action, lineNo, "not a valid pin: " + e.getMessage(), "correct or delete the line");
    }
  }

  private static String unescape(String field, int index, Path file, String action, int lineNo)
      throws PinStoreException {
    try {
      return PinFieldEscaping.unescape(field);
    } catch (IllegalArgumentException e) {
      throw fieldError(file, action, lineNo, index, field, "has a bad escape: " + e.getMessage());
    }
  }

  private static String decode(byte[] content, int from, int to, Path file, String action, int lineNo)
      throws PinStoreException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw error(file, action, lineNo, "the line is not valid UTF-8",
          "save the file as UTF-8, or restore it from a backup");
    }
  }

  private static int indexOf(byte[] a, byte b, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String serviceLabels() {
    List<String> labels = new ArrayList<>();
    for (MailService s : MailService.values()) {
      labels.add(s.label());
    }
    return String.join(", ", labels);
  }

  private static PinStoreException fieldError(Path file, String action, int lineNo, int index, String value,
      String what) {
    return error(file, action, lineNo, "field " + (index + 1) + " (" + FIELD_NAMES[index] + ") \"" + shown(value)
        + "\" " + what, "correct or delete the line");
  }

  /** "{action} {file}: line {n}: {what}. The file was left untouched. Fix: {fix}." */
  static PinStoreException error(Path file, String action, int lineNo, String what, String fix) {
    return new PinStoreException(action + " " + file + ": line " + lineNo + ": " + what
        + ". The file was left untouched. Fix: " + fix + ".");
  }
}
