package org.mailtls.provider.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailtls.provider.interop.HostileStartTlsServers.Conversation;
import org.mailtls.provider.interop.HostileStartTlsServers.Script;
import org.mailtls.provider.interop.HostileStartTlsServers.Server;

/**
 * The protocol halves of the hostile servers: just enough IMAP, SMTP and POP3 for Angus Mail to log
 * in, each with the knobs the STL tests turn (what is advertised, what is said before TLS, whether
 * STARTTLS is accepted, and what is injected behind the go-ahead).
 */
final class HostileMailScripts {
  private HostileMailScripts() {}

  /** How the go-ahead of STARTTLS is sent. */
  enum Injection {
    /** The go-ahead alone, as a server must. */
    NONE,
    /** Go-ahead and injected lines in one write (one TCP segment). */
    SAME_WRITE,
    /** Go-ahead, then each injected line in a write of its own, right after it. */
    SEPARATE_WRITES
  }

  /** What a server answers to STARTTLS / STLS. */
  enum StartTlsAnswer { ACCEPT, REFUSE }

  /** Sends the go-ahead (plus injected lines) as configured, then starts TLS; false when the client gave up. */
  private static boolean goAhead(Conversation c, List<String> before, String goAhead, Injection mode,
      List<String> injected) throws Exception {
    List<String> first = new ArrayList<>(before);
    first.add(goAhead);
    if (mode == Injection.SAME_WRITE) {
      first.addAll(injected);
    }
    c.send(first);
    if (mode == Injection.SEPARATE_WRITES) {
      c.sendEach(injected);
    }
    return c.startTls();
  }

  /** "A0" → "A1": the tag Angus will use next, so an injected completion could answer it. */
  static String nextTag(String tag) {
    Matcher m = Pattern.compile("([^0-9]*)([0-9]+)").matcher(tag);
    return m.matches() ? m.group(1) + (Long.parseLong(m.group(2)) + 1) : tag + "1";
  }

  /** An IMAP4rev1 server; every command not listed gets {@code OK}. */
  static final class Imap implements Script {
    String greeting = "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hostile IMAP ready";
    String capsBeforeTls = "IMAP4rev1 STARTTLS LOGINDISABLED";
    String capsAfterTls = "IMAP4rev1 XTLS";
    StartTlsAnswer startTls = StartTlsAnswer.ACCEPT;
    List<String> untaggedWithCapabilityBeforeTls = List.of();
    List<String> untaggedBeforeGoAhead = List.of();
    String goAheadText = "OK Begin TLS negotiation now";
    Injection injection = Injection.NONE;
    /** Injected lines; "{next}" becomes the tag the client will use next. */
    List<String> injected = List.of();
    List<String> untaggedWithLoginOverTls = List.of();

    @Override
    public void run(Conversation c) throws Exception {
      c.send(greeting);
      for (String line; (line = c.readLine()) != null; ) {
        String[] w = line.split(" ", 3);
        String tag = w[0];
        String command = w.length > 1 ? w[1].toUpperCase(Locale.ROOT) : "";
        List<String> out = new ArrayList<>();
        switch (command) {
          case "CAPABILITY" -> {
            if (!c.isTls()) {
              out.addAll(untaggedWithCapabilityBeforeTls);
            }
            out.add("* CAPABILITY " + (c.isTls() ? capsAfterTls : capsBeforeTls));
            out.add(tag + " OK CAPABILITY completed");
          }
          case "STARTTLS" -> {
            if (c.isTls() || startTls == StartTlsAnswer.REFUSE) {
              c.send(tag + " NO STARTTLS not available");
              continue;
            }
            List<String> inj = injected.stream().map(s -> s.replace("{next}", nextTag(tag))).toList();
            if (!goAhead(c, untaggedBeforeGoAhead, tag + " " + goAheadText, injection, inj)) {
              return;
            }
            continue;
          }
          case "LOGIN" -> {
            out.addAll(c.isTls() ? untaggedWithLoginOverTls : List.of());
            out.add(tag + " OK LOGIN completed");
          }
          case "AUTHENTICATE" -> {
            if (w.length < 3 || !w[2].contains(" ")) { // no SASL-IR: ask for the token
              c.send("+ ");
              c.readLine();
            }
            out.add(tag + " OK AUTHENTICATE completed");
          }
          case "SELECT", "EXAMINE" -> {
            out.addAll(List.of("* 0 EXISTS", "* 0 RECENT", "* FLAGS (\\Seen)", "* OK [UIDVALIDITY 1] ok"));
            out.add(tag + " OK [" + (command.equals("SELECT") ? "READ-WRITE" : "READ-ONLY") + "] done");
          }
          case "LOGOUT" -> {
            c.send("* BYE logging out", tag + " OK LOGOUT completed");
            return;
          }
          default -> out.add(tag + " OK " + command + " completed");
        }
        c.send(out);
      }
      Server.clientClosed(c);
    }
  }

  /** An ESMTP submission server; AUTH PLAIN with an initial response always succeeds over TLS. */
  static final class Smtp implements Script {
    List<String> extensionsBeforeTls = List.of("STARTTLS", "8BITMIME");
    List<String> extensionsAfterTls = List.of("AUTH PLAIN", "XTLS");
    StartTlsAnswer startTls = StartTlsAnswer.ACCEPT;
    Injection injection = Injection.NONE;
    List<String> injected = List.of();

    @Override
    public void run(Conversation c) throws Exception {
      c.send("220 localhost ESMTP hostile");
      for (String line; (line = c.readLine()) != null; ) {
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO" -> c.send(multiline(250, c.isTls() ? extensionsAfterTls : extensionsBeforeTls));
          case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> c.send("250 2.0.0 ok");
          case "STARTTLS" -> {
            if (c.isTls() || startTls == StartTlsAnswer.REFUSE) {
              c.send("454 4.7.0 TLS not available");
            } else if (!goAhead(c, List.of(), "220 2.0.0 Ready to start TLS", injection, injected)) {
              return;
            }
          }
          case "AUTH" -> {
            String[] w = line.split(" ");
            if (w.length > 1 && w[1].equalsIgnoreCase("LOGIN")) {
              c.send("334 VXNlcm5hbWU6");
              c.readLine();
              c.send("334 UGFzc3dvcmQ6");
              c.readLine();
            } else if (w.length == 2) {
              c.send("334 ");
              c.readLine();
            }
            c.send("235 2.7.0 Authentication successful");
          }
          case "DATA" -> {
            c.send("354 go ahead");
            for (String body; (body = c.readLine()) != null && !body.equals("."); ) {
              // swallow the message
            }
            c.send("250 2.0.0 queued");
          }
          case "QUIT" -> {
            c.send("221 2.0.0 bye");
            return;
          }
          default -> c.send("502 5.5.1 unknown command");
        }
      }
      Server.clientClosed(c);
    }

    private static List<String> multiline(int code, List<String> extensions) {
      List<String> lines = new ArrayList<>();
      lines.add("localhost");
      lines.addAll(extensions);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        out.add(code + (i == lines.size() - 1 ? " " : "-") + lines.get(i));
      }
      return out;
    }
  }

  /** A POP3 server with an empty mailbox. */
  static final class Pop3 implements Script {
    List<String> capsBeforeTls = List.of("USER", "STLS", "UIDL");
    List<String> capsAfterTls = List.of("USER", "UIDL", "XTLS");
    StartTlsAnswer startTls = StartTlsAnswer.ACCEPT;
    Injection injection = Injection.NONE;
    List<String> injected = List.of();

    @Override
    public void run(Conversation c) throws Exception {
      c.send("+OK hostile POP3 ready");
      for (String line; (line = c.readLine()) != null; ) {
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        switch (verb) {
          case "CAPA" -> {
            List<String> out = new ArrayList<>(List.of("+OK capability list follows"));
            out.addAll(c.isTls() ? capsAfterTls : capsBeforeTls);
            out.add(".");
            c.send(out);
          }
          case "STLS" -> {
            if (c.isTls() || startTls == StartTlsAnswer.REFUSE) {
              c.send("-ERR not now");
            } else if (!goAhead(c, List.of(), "+OK begin TLS", injection, injected)) {
              return;
            }
          }
          case "USER", "PASS", "NOOP", "RSET" -> c.send("+OK");
          case "STAT" -> c.send("+OK 0 0");
          case "LIST", "UIDL" -> c.send("+OK", ".");
          case "QUIT" -> {
            c.send("+OK bye");
            return;
          }
          default -> c.send("-ERR unknown command");
        }
      }
      Server.clientClosed(c);
    }
  }
}
