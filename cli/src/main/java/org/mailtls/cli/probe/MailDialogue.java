package org.mailtls.cli.probe;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mailtls.policy.identity.MailService;

/**
 * The cleartext part of STARTTLS, the one dialogue every {@code mailtls} command speaks: greeting,
 * capability list, and the upgrade command, for IMAP ({@code a CAPABILITY} / {@code a STARTTLS},
 * RFC 9051 §6.2.1), POP3 ({@code CAPA} / {@code STLS}, RFC 2595 §4, RFC 2449), SMTP submission
 * ({@code EHLO} / {@code STARTTLS}, RFC 3207) and ManageSieve (capabilities in the greeting /
 * {@code STARTTLS}, RFC 5804 §2.2).
 *
 * <p>It never sends credentials or anything else: its only business before TLS is to learn
 * whether STARTTLS is offered and to ask for it. Line limits follow each protocol (IMAP 8192, RFC
 * 7162 §4; POP3 512, RFC 2449 §4; SMTP 512, RFC 5321 §4.5.3.1.5), a capability answer may have at
 * most {@value #MAX_LINES} lines, and the whole dialogue must finish within the probe's timeout.
 */
public final class MailDialogue {
  /** The most lines a greeting or capability answer may have. */
  static final int MAX_LINES = 200;

  private final Socket socket;
  private final MailService service;
  private final ResponseReader reader;
  private final OutputStream out;

  private MailDialogue(Socket socket, MailService service, long budgetMillis) throws IOException {
    this.socket = socket;
    this.service = service;
    this.reader = new ResponseReader(socket, service == MailService.IMAP ? 8192 : 510, budgetMillis);
    this.out = socket.getOutputStream();
  }

  /**
   * Runs the dialogue on a connected cleartext socket up to the server's go-ahead.
   *
   * @return what the server advertised before TLS
   * @throws DialogueException when the server does not offer or refuses STARTTLS, or answers out of
   *     protocol; its message is one line for the report
   * @throws IOException when the connection breaks or times out
   */
  public static Capabilities startTls(Socket plain, MailService service, long budgetMillis) throws IOException {
    MailDialogue d = new MailDialogue(plain, service, budgetMillis);
    List<String> caps = switch (service) {
      case IMAP -> d.imap();
      case POP3 -> d.pop3();
      case SUBMISSION -> d.smtp();
      case SIEVE -> d.sieve();
      default -> throw new IllegalArgumentException(service + " has no STARTTLS dialogue");
    };
    int pending = d.reader.pendingBytes();
    if (pending > 0) {
      throw new DialogueException("the server sent " + pending + " bytes after its STARTTLS go-ahead, before TLS"
          + " (response injection, STL-04)");
    }
    return Capabilities.of(service, caps);
  }

  /** The command that ends a session politely after TLS, without waiting for an answer. */
  static String goodbye(MailService service) {
    return switch (service) {
      case IMAP, IMAPS -> "a LOGOUT";
      default -> "QUIT";
    };
  }

  private List<String> imap() throws IOException {
    String greeting = reader.readLine();
    if (greeting.regionMatches(true, 0, "* PREAUTH", 0, 9)) {
      throw new DialogueException("the server greets with PREAUTH over cleartext, so STARTTLS is impossible (STL-06)");
    }
    expect(greeting.regionMatches(true, 0, "* OK", 0, 4), "IMAP greeting", greeting);
    List<String> caps = new ArrayList<>();
    for (String line : imapCommand("a CAPABILITY")) {
      if (line.regionMatches(true, 0, "* CAPABILITY ", 0, 13)) {
        caps.addAll(words(line.substring(13)));
      }
    }
    requireStartTls(caps, "STARTTLS");
    imapCommand("a STARTTLS");
    return caps;
  }

  /** Sends one tagged command; returns the untagged lines; fails unless the tagged answer is OK. */
  private List<String> imapCommand(String command) throws IOException {
    send(command);
    List<String> untagged = new ArrayList<>();
    for (int i = 0; i < MAX_LINES; i++) {
      String line = reader.readLine();
      if (line.startsWith("a ")) {
        expect(line.regionMatches(true, 0, "a OK", 0, 4), command, line);
        return untagged;
      }
      untagged.add(line);
    }
    throw new DialogueException("no tagged answer to " + command + " after " + MAX_LINES + " lines");
  }

  private List<String> pop3() throws IOException {
    String greeting = reader.readLine();
    expect(greeting.startsWith("+OK"), "POP3 greeting", greeting);
    send("CAPA");
    String first = reader.readLine();
    List<String> caps = new ArrayList<>();
    if (first.startsWith("+OK")) {
      for (int i = 0; ; i++) {
        String line = reader.readLine();
        if (line.equals(".")) {
          break;
        }
        if (i >= MAX_LINES) {
          throw new DialogueException("CAPA answer longer than " + MAX_LINES + " lines");
        }
        caps.add(line.toUpperCase(Locale.ROOT));
      }
    }
    requireStartTls(caps.stream().map(c -> words(c).isEmpty() ? "" : words(c).get(0)).toList(), "STLS");
    send("STLS");
    String answer = reader.readLine();
    expect(answer.startsWith("+OK"), "STLS", answer);
    return caps;
  }

  private List<String> smtp() throws IOException {
    smtpReply("SMTP greeting", "220");
    InetAddress local = socket.getLocalAddress();
    send("EHLO [" + (local instanceof Inet6Address ? "IPv6:" : "") + local.getHostAddress() + "]");
    List<String> lines = smtpReply("EHLO", "250");
    List<String> caps = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      caps.add(line.length() > 4 ? line.substring(4).toUpperCase(Locale.ROOT) : "");
    }
    requireStartTls(caps.stream().map(c -> words(c).isEmpty() ? "" : words(c).get(0)).toList(), "STARTTLS");
    send("STARTTLS");
    smtpReply("STARTTLS", "220");
    return caps;
  }

  /** ManageSieve: the greeting is the capability list, ended by an OK line (RFC 5804 §1.7). */
  private List<String> sieve() throws IOException {
    List<String> caps = new ArrayList<>();
    for (int i = 0; ; i++) {
      String line = reader.readLine();
      if (line.regionMatches(true, 0, "OK", 0, 2)) {
        break;
      }
      expect(line.startsWith("\""), "ManageSieve greeting", line);
      if (i >= MAX_LINES) {
        throw new DialogueException("ManageSieve greeting longer than " + MAX_LINES + " lines");
      }
      caps.add(line.toUpperCase(Locale.ROOT));
    }
    requireStartTls(caps.stream().map(MailDialogue::sieveName).toList(), "STARTTLS");
    send("STARTTLS");
    String answer = reader.readLine();
    expect(answer.regionMatches(true, 0, "OK", 0, 2), "STARTTLS", answer);
    return caps;
  }

  /** The capability name of a ManageSieve greeting line: the first quoted string. */
  private static String sieveName(String line) {
    int end = line.indexOf('"', 1);
    return end > 0 ? line.substring(1, end) : line;
  }

  /** Reads one (possibly multi-line) SMTP reply and fails unless its code is {@code code}. */
  private List<String> smtpReply(String what, String code) throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = reader.readLine();
      lines.add(line);
      if (!line.startsWith(code)) {
        throw new DialogueException(what + " answered \"" + Text.printable(line) + "\" (expected " + code + ")");
      }
      if (line.length() < 4 || line.charAt(3) != '-') {
        return lines;
      }
      if (lines.size() >= MAX_LINES) {
        throw new DialogueException(what + " answer longer than " + MAX_LINES + " lines");
      }
    }
  }

  private static void requireStartTls(List<String> keywords, String keyword) throws DialogueException {
    if (keywords.stream().noneMatch(k -> k.equalsIgnoreCase(keyword))) {
      throw new DialogueException("the server does not offer " + keyword + " before TLS (capabilities: "
          + Text.printable(String.join(" ", keywords)) + ")");
    }
  }

  private void send(String line) throws IOException {
    out.write((line + "\r\n").getBytes(US_ASCII));
    out.flush();
  }

  private static void expect(boolean ok, String what, String line) throws DialogueException {
    if (!ok) {
      throw new DialogueException(what + " answered \"" + Text.printable(line) + "\"");
    }
  }

  private static List<String> words(String s) {
    List<String> w = new ArrayList<>();
    for (String part : s.trim().split(" +")) {
      if (!part.isEmpty()) {
        w.add(part.toUpperCase(Locale.ROOT));
      }
    }
    return w;
  }
}
