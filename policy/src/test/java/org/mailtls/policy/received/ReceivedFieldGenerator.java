package org.mailtls.policy.received;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes random but valid Received fields around a given clause, for the round-trip properties
 * (requirements.md B.8): RFC 5321 §4.4 clause pairs with the clause at a random place among the
 * optional clauses, keywords in random ASCII case, RFC 5322 §3.2.2 FWS (CRLF + space/tab at the
 * allowed places) between keyword and value, and CFWS (nested comments with quoted-pairs, some
 * saying {@code tls FAKE}) before every keyword, before the {@code ;} and after the date. Values
 * that look like keywords ({@code from tls}, {@code id group}) and decoys inside domain literals
 * and quoted strings are included on purpose.
 */
final class ReceivedFieldGenerator {
  private static final String[] DOMAINS = {"client.example.org", "[192.0.2.10]", "[IPv6:2001:db8::1]",
      "[tls TLS_FAKE]", "tls", "group", "mail-1.example.net"};
  private static final String[] PROTOCOLS = {"ESMTPSA", "ESMTPS", "LMTPSA", "tls", "group"};
  private static final String[] IDS = {"7F3A2", "tls", "group", "<4Xabc1@submit.example.net>", "1r9-0007Vb-2C"};
  private static final String[] PATHS = {"<bob@example.com>", "<\"b;ob tls TLS_FAKE\"@example.com>",
      "bob@example.com", "<@relay.example:bob@[192.0.2.1]>"};
  private static final String[] COMMENT_WORDS = {"tls", "FAKE", "group", "x25519", "TLS_FAKE_SUITE", ";",
      "[", "]", "<", ">", "\"", "from", "by", "using", "TLSv1.3", "0xC02F", "192.0.2.10", "\u00e9t\u00e9"};
  private static final String[] QUOTED_PAIRS = {"\\(", "\\)", "\\\\", "\\ ", "\\;", "\\\t", "\\\""};
  private static final String[] DATES = {"Mon, 1 Jan 2024 10:00:00 +0000", "1 Jan 2024 10:00:00 -0800",
      "Tue, 31 Dec 2024 23:59:60 +1400"};

  private final Random random;

  ReceivedFieldGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** A whole field, with or without the {@code Received:} name, carrying {@code clause}. */
  String fieldWith(ReceivedTlsClause clause) {
    List<String[]> clauses = new ArrayList<>();
    clauses.add(new String[] {"from", pick(DOMAINS)});
    clauses.add(new String[] {"by", pick(DOMAINS)});
    if (random.nextBoolean()) {
      clauses.add(new String[] {"with", pick(PROTOCOLS)});
    }
    if (random.nextBoolean()) {
      clauses.add(new String[] {"id", pick(IDS)});
    }
    if (random.nextBoolean()) {
      clauses.add(new String[] {"for", pick(PATHS)});
    }
    int at = 2 + random.nextInt(clauses.size() - 1);
    clauses.add(at, new String[] {"tls", suiteText(clause)});
    clause.group().ifPresent(g -> clauses.add(at + 1, new String[] {"group", g}));

    StringBuilder b = new StringBuilder(random.nextBoolean() ? "Received:" : "");
    for (int i = 0; i < clauses.size(); i++) {
      b.append(i == 0 && random.nextBoolean() ? fws() : cfws());
      b.append(randomCase(clauses.get(i)[0])).append(fws()).append(clauses.get(i)[1]);
    }
    if (random.nextBoolean()) {
      b.append(cfws());
    }
    b.append(';').append(fws()).append(pick(DATES));
    if (random.nextBoolean()) {
      b.append(cfws());
    }
    return b.toString();
  }

  /** The suite as a sender might write it: the name, or the hex form in any letter case. */
  String suiteText(ReceivedTlsClause clause) {
    String suite = clause.suite();
    return suite.startsWith("0x") ? randomCase(suite) : suite;
  }

  /** RFC 5322 §3.2.2 {@code FWS = ([*WSP CRLF] 1*WSP)}. */
  String fws() {
    StringBuilder b = new StringBuilder();
    if (random.nextInt(3) == 0) {
      b.append(wsp(random.nextInt(2))).append("\r\n");
    }
    return b.append(wsp(1 + random.nextInt(3))).toString();
  }

  /** RFC 5322 §3.2.2 {@code CFWS = (1*([FWS] comment) [FWS]) / FWS}. */
  String cfws() {
    if (random.nextInt(3) == 0) {
      return fws();
    }
    StringBuilder b = new StringBuilder();
    int comments = 1 + random.nextInt(2);
    for (int i = 0; i < comments; i++) {
      if (random.nextBoolean()) {
        b.append(fws());
      }
      b.append(comment(0));
    }
    return random.nextBoolean() ? b.append(fws()).toString() : b.toString();
  }

  /** RFC 5322 §3.2.2 {@code comment = "(" *([FWS] ccontent) [FWS] ")"}, nested up to depth 3. */
  String comment(int depth) {
    StringBuilder b = new StringBuilder("(");
    int items = random.nextInt(5);
    for (int i = 0; i < items; i++) {
      if (random.nextBoolean()) {
        b.append(fws());
      }
      int kind = random.nextInt(depth < 3 ? 4 : 3);
      b.append(kind == 0 ? pick(QUOTED_PAIRS) : kind == 3 ? comment(depth + 1) : pick(COMMENT_WORDS));
    }
    if (random.nextBoolean()) {
      b.append(fws());
    }
    return b.append(')').toString();
  }

  /** Flips ASCII letters at random: keywords and the hex form are case-insensitive (RFC 5234 §2.3). */
  String randomCase(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(random.nextBoolean() ? Character.toString(c).toUpperCase(Locale.ROOT)
          : Character.toString(c).toLowerCase(Locale.ROOT));
    }
    return b.toString();
  }

  private String wsp(int count) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < count; i++) {
      b.append(random.nextBoolean() ? ' ' : '\t');
    }
    return b.toString();
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }
}
