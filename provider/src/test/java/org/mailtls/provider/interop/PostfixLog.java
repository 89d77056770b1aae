package org.mailtls.provider.interop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Postfix 3.7's own log ({@code smtpd_tls_loglevel = 1}) for the interop assertions. The lines
 * used, as Postfix writes them:
 *
 * <pre>
 * postfix/submissions/smtpd[4711]: Anonymous TLS connection established from unknown[127.0.0.1]:
 *     TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519
 *     server-signature ECDSA (prime256v1) server-digest SHA256
 * postfix/submissions/smtpd[4711]: 6930D20E1BB: client=unknown[127.0.0.1], sasl_method=LOGIN,
 *     sasl_username=alice@mailtls.test
 * postfix/submissions/smtpd[4711]: disconnect from unknown[127.0.0.1] ehlo=1 auth=1 ... commands=6
 * </pre>
 *
 * (each one line). An smtpd process serves several connections in turn, so a queue id is tied to
 * the TLS line its process logged last before it.
 */
final class PostfixLog {
  private static final Pattern TLS = Pattern.compile(
      "postfix/(submissions?)/smtpd\\[(\\d+)\\]: \\w+ TLS connection established from unknown\\[127\\.0\\.0\\.1\\]: "
          + "(TLSv[0-9.]+) with cipher (\\S+) \\([^)]*\\)(?: key-exchange (\\S+))?");
  private static final Pattern CLIENT = Pattern.compile(
      "postfix/(submissions?)/smtpd\\[(\\d+)\\]: ([0-9A-F]+): client=unknown\\[127\\.0\\.0\\.1\\](.*)");

  private PostfixLog() {}

  /** One "TLS connection established" line: service ("submissions"/"submission"), pid and parameters. */
  record TlsLine(String service, String pid, String protocol, String cipher, Optional<String> keyExchange) {}

  /** Every TLS line in {@code log}, in order. */
  static List<TlsLine> tlsLines(String log) {
    List<TlsLine> out = new ArrayList<>();
    for (String line : log.split("\n")) {
      tls(line).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The TLS line of the connection that queued {@code queueId}, with the rest of its {@code client=}
   * line (e.g. {@code ", sasl_method=LOGIN, sasl_username=alice@mailtls.test"}).
   */
  static Optional<Map.Entry<TlsLine, String>> connectionOf(String log, String queueId) {
    Map<String, TlsLine> lastTlsByPid = new HashMap<>();
    for (String line : log.split("\n")) {
      Optional<TlsLine> tls = tls(line);
      if (tls.isPresent()) {
        lastTlsByPid.put(tls.get().service() + "/" + tls.get().pid(), tls.get());
        continue;
      }
      Matcher c = CLIENT.matcher(line);
      if (c.find() && c.group(3).equals(queueId)) {
        TlsLine t = lastTlsByPid.get(c.group(1) + "/" + c.group(2));
        return t == null ? Optional.empty() : Optional.of(Map.entry(t, c.group(4)));
      }
    }
    return Optional.empty();
  }

  /** Lines containing every one of {@code texts}, in order. */
  static List<String> lines(String log, String... texts) {
    List<String> out = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (Arrays.stream(texts).allMatch(line::contains)) {
        out.add(line);
      }
    }
    return out;
  }

  /** OpenSSL's group names in Postfix's "key-exchange" field, as IANA TLS Supported Groups names. */
  static String ianaGroup(String openssl) {
    return switch (openssl) {
      case "X25519" -> "x25519";
      case "X448" -> "x448";
      case "prime256v1" -> "secp256r1";
      default -> openssl; // secp384r1, secp521r1, ffdhe2048 ... are spelled alike
    };
  }

  private static Optional<TlsLine> tls(String line) {
    Matcher m = TLS.matcher(line);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new TlsLine(m.group(1), m.group(2), m.group(3), m.group(4), Optional.ofNullable(m.group(5))));
  }
}
