package org.mailtls.provider.example;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.mailtls.policy.received.ReceivedHeaders;
import org.mailtls.policy.received.ReceivedTlsClause;
import org.mailtls.provider.MailTls;
import org.mailtls.provider.server.AuthDecision;
import org.mailtls.provider.server.CleartextAuthGate;
import org.mailtls.provider.server.CleartextAuthPolicy;
import org.mailtls.provider.server.PasswordVerifier;
import org.mailtls.provider.server.StartTlsAdvertisement;
import org.mailtls.provider.server.StartTlsRefusedException;
import org.mailtls.provider.server.StartTlsUpgrade;

/**
 * An SMTP submission server (RFC 6409) on 127.0.0.1, built from MailTLS's server building blocks, one
 * thread per connection ({@link SmtpConnection}); README's "For server authors" quotes the region
 * between README:begin and README:end. Commands: EHLO, STARTTLS, AUTH PLAIN / LOGIN, MAIL FROM, RCPT
 * TO, DATA, RSET, NOOP, QUIT. Cleartext authentication is off for everyone, mail is accepted only
 * after AUTH, so every stored message came over TLS and its Received field names the suite and the
 * group (RFC 8314 §4.3).
 */
final class SubmissionServer implements AutoCloseable {
  /** A stored message: its text starts with the {@code Received} field this server prepended. */
  record StoredMessage(String from, List<String> recipients, String text, SSLSession tls) {}

  /** The verbs executed, one list per connection in the order accepted (AUTH without credentials). */
  final List<List<String>> executed = new CopyOnWriteArrayList<>();
  final List<StoredMessage> messages = new CopyOnWriteArrayList<>();
  /** Exceptions that ended a connection other than QUIT or a close between commands. */
  final List<Throwable> failures = new CopyOnWriteArrayList<>();

  private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*|\\[[A-Za-z0-9:.]+\\]");
  private final SSLContext context;
  private final StartTlsUpgrade startTls;
  private final CleartextAuthGate gate = new CleartextAuthGate(CleartextAuthPolicy.disabledForEveryone());
  private final PasswordVerifier verifier;
  private final ServerSocket listener;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Set<Socket> accepted = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();

  /** Listens on 127.0.0.1, a free port; {@code context} is a MailTLS context with a server key. */
  SubmissionServer(SSLContext context, PasswordVerifier verifier) throws IOException {
    this.context = context;
    this.startTls = StartTlsUpgrade.using(context); // refuses a context that cannot serve TLS
    this.verifier = verifier;
    this.listener = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    threads.execute(this::acceptLoop);
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        SmtpConnection c = new SmtpConnection(listener.accept());
        accepted.add(c.socket);
        executed.add(c.log);
        threads.execute(() -> serve(c));
      } catch (IOException e) {
        if (!listener.isClosed()) {
          failures.add(e);
        }
      }
    }
  }

  private void serve(SmtpConnection c) {
    try {
      c.socket.setSoTimeout(30_000); // also bounds the STARTTLS handshake
      c.reply("220 localhost ESMTP MailTLS example submission server");
      for (String line; (line = c.reader.readLine()) != null; ) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        c.log.add(verb); // before the reply: a client that read the reply sees the log complete
        if (!execute(c, verb, space < 0 ? "" : line.substring(space + 1))) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      failures.add(e);
    } finally {
      try {
        c.socket.close(); // after STARTTLS the TLS socket: close_notify, then the TCP connection
      } catch (IOException e) {
        failures.add(e);
      }
    }
  }

  /** Runs one command; false ends the connection. */
  private boolean execute(SmtpConnection c, String verb, String arg) throws IOException {
    switch (verb) {
      case "EHLO" -> {
        c.helo = DOMAIN.matcher(arg).matches() ? arg : null;
        c.reset();
        if (c.helo == null) {
          c.reply("501 5.5.4 EHLO needs a domain or address literal");
        } else {
          ehlo(c);
        }
      }
      case "STARTTLS" -> startTls(c);
      case "AUTH" -> auth(c, arg);
      case "MAIL" -> {
        String from = path(arg, "FROM:<");
        if (!c.state.isAuthenticated()) {
          c.reply("530 5.7.0 Authentication required");
        } else if (c.helo == null || c.from != null || from == null) {
          c.reply("503 5.5.1 EHLO first, then one MAIL FROM:<path> per transaction");
        } else {
          c.from = from;
          c.reply("250 2.1.0 OK");
        }
      }
      case "RCPT" -> {
        String to = path(arg, "TO:<");
        if (c.from == null || to == null || to.isEmpty()) {
          c.reply("503 5.5.1 MAIL FROM first, then RCPT TO:<path>");
        } else {
          c.recipients.add(to);
          c.reply("250 2.1.5 OK");
        }
      }
      case "DATA" -> data(c);
      case "RSET" -> {
        c.reset();
        c.reply("250 2.0.0 OK");
      }
      case "NOOP" -> c.reply("250 2.0.0 OK");
      case "QUIT" -> {
        c.reply("221 2.0.0 Bye");
        return false;
      }
      default -> c.reply("500 5.5.2 Command unrecognized");
    }
    return true;
  }

  /** AUTH PLAIN [initial-response] (RFC 4616) or AUTH LOGIN: decodes the credentials for {@link #login}. */
  private void auth(SmtpConnection c, String arg) throws IOException {
    String[] words = arg.split(" ", 2);
    String mechanism = words[0].toUpperCase(Locale.ROOT);
    String initial = words.length > 1 ? words[1] : null;
    try {
      if (c.state.isAuthenticated()) {
        c.reply("503 5.5.1 Already authenticated");
      } else if (mechanism.equals("PLAIN")) { // authzid NUL authcid NUL password; authzid is not used
        String[] p = decode(initial != null ? initial : c.challenge("")).split("\0", -1);
        if (p.length != 3) {
          throw new IllegalArgumentException("not authzid NUL authcid NUL password");
        }
        login(c, mechanism, p[1], p[2]);
      } else if (mechanism.equals("LOGIN")) {
        String user = decode(initial != null ? initial : c.challenge("VXNlcm5hbWU6")); // "Username:"
        login(c, mechanism, user, decode(c.challenge("UGFzc3dvcmQ6"))); // "Password:"
      } else {
        c.reply("504 5.5.4 Unrecognized authentication type");
      }
    } catch (IllegalArgumentException e) { // bad Base64, bad PLAIN message, or "*"
      c.reply("501 5.5.2 Authentication cancelled or not decodable");
    }
  }

  /** DATA: reads the message (dot-stuffing undone) and stores it behind a Received field. */
  private void data(SmtpConnection c) throws IOException {
    if (c.recipients.isEmpty()) {
      c.reply("503 5.5.1 MAIL and RCPT first");
      return;
    }
    c.reply("354 End data with <CRLF>.<CRLF>");
    StringBuilder text = new StringBuilder();
    for (String line; !".".equals(line = c.reader.readLine()); ) {
      if (line == null) {
        throw new EOFException("the client closed the connection during DATA");
      }
      text.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
    }
    String id = "M" + ids.incrementAndGet();
    messages.add(new StoredMessage(c.from, List.copyOf(c.recipients), received(c, id) + "\r\n" + text,
        c.tlsSession()));
    c.reset();
    c.reply("250 2.0.0 OK queued as " + id);
  }

  // README:begin
  /** EHLO: STARTTLS only when it can succeed; before TLS no mechanism that sends a password. */
  private void ehlo(SmtpConnection c) throws IOException {
    List<String> lines = new ArrayList<>(List.of("localhost"));
    if (StartTlsAdvertisement.mayAdvertise(context, c.state)) { // server key, no TLS yet, nobody logged in
      lines.add("STARTTLS");
    }
    List<String> mechanisms = gate.mechanismsToAdvertise(c.state.isTls(), List.of("PLAIN", "LOGIN"));
    if (!mechanisms.isEmpty()) { // empty before TLS: cleartext authentication is off for everyone
      lines.add("AUTH " + String.join(" ", mechanisms));
    }
    c.replyLines(250, lines);
  }

  /** STARTTLS: bytes pipelined behind it are discarded, never executed (VU#555316). */
  private void startTls(SmtpConnection c) throws IOException {
    try { // on success: the TLS socket, a fresh reader, the new state; the EHLO is forgotten
      c.switchTo(startTls.upgrade(c.state, c.socket, c.reader, "220 2.0.0 Ready to start TLS"));
    } catch (StartTlsRefusedException e) { // TLS already on, or logged in: nothing changed
      c.reply("503 5.5.1 STARTTLS not permitted now");
    }
  }

  /** AUTH: over cleartext the gate refuses before the verifier runs, in the same bytes for any password. */
  private void login(SmtpConnection c, String mechanism, String user, String password) throws IOException {
    AuthDecision d = gate.check(c.state.isTls(), user, password, verifier);
    MailTls.logAuthentication(c.tlsSession(), c.peer(), mechanism, user, d.isAllowed()); // cipher log
    if (d instanceof AuthDecision.Refused refused) {
      c.write(refused.smtp()); // "538 5.7.11 Authentication over an unencrypted connection is disabled..."
    } else if (d.isAllowed()) {
      c.state = c.state.afterAuthentication();
      c.reply("235 2.7.0 Authentication successful");
    } else {
      c.reply("535 5.7.8 Authentication credentials invalid");
    }
  }

  /** The Received field, with "tls <suite>" and, when known, "group <name>" (RFC 8314 §4.3). */
  private static String received(SmtpConnection c, String id) {
    SSLSession tls = c.tlsSession(); // never null here: no MAIL without AUTH, no AUTH without TLS
    ReceivedTlsClause clause = ReceivedTlsClause.forJsseSuite(tls.getCipherSuite());
    return ReceivedHeaders.builder().from(c.helo, "[" + c.address() + "]").by("localhost").with("ESMTPSA").id(id)
        .tls(MailTls.negotiatedGroup(tls).map(clause::withGroup).orElse(clause))
        .date(OffsetDateTime.now()).format();
  }
  // README:end

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), UTF_8);
  }

  /** The path of {@code FROM:<path>} or {@code TO:<path>} (no parameters), or null. */
  private static String path(String arg, String prefix) {
    boolean ok = arg.regionMatches(true, 0, prefix, 0, prefix.length()) && arg.endsWith(">");
    return ok ? arg.substring(prefix.length(), arg.length() - 1) : null;
  }

  /** Stops listening, closes every connection and waits for the threads. */
  @Override
  public void close() throws IOException, InterruptedException {
    listener.close();
    for (Socket s : accepted) {
      s.close();
    }
    threads.shutdownNow();
    if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the submission server's threads did not stop within 10 s");
    }
  }
}
