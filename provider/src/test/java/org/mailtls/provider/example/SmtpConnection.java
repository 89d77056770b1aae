package org.mailtls.provider.example;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.mailtls.provider.server.LineReader;
import org.mailtls.provider.server.ServerSessionState;
import org.mailtls.provider.server.UpgradedConnection;

/**
 * One client of {@link SubmissionServer}: socket, command reader and session state, which change
 * together at STARTTLS, and the SMTP transaction. Used by one thread only.
 */
final class SmtpConnection {
  /** The verbs executed on this connection (AUTH without its credentials). */
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<String> recipients = new ArrayList<>();
  Socket socket;
  LineReader reader; // the only reader: STARTTLS must see every byte it holds
  ServerSessionState state = ServerSessionState.PLAIN_UNAUTHENTICATED;
  String helo;
  String from;

  SmtpConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.reader = LineReader.over(socket);
  }

  /** After STARTTLS: the TLS socket, a fresh reader, the new state; nothing learnt before TLS is kept. */
  void switchTo(UpgradedConnection u) {
    socket = u.socket();
    reader = u.reader();
    state = u.state();
    helo = null; // RFC 3207 §4.2: the client must EHLO again
    reset();
  }

  /** Forgets the mail transaction (MAIL FROM, RCPT TO). */
  void reset() {
    from = null;
    recipients.clear();
  }

  /** The TLS session, or null while the connection is cleartext. */
  SSLSession tlsSession() {
    return socket instanceof SSLSocket tls ? tls.getSession() : null;
  }

  /** The client's IP address. */
  String address() {
    return socket.getInetAddress().getHostAddress();
  }

  /** The client's address and port, for the cipher log. */
  String peer() {
    return address() + ":" + socket.getPort();
  }

  /** Sends {@code 334 text} and returns the client's answer; "*" cancels (RFC 4954 §4). */
  String challenge(String text) throws IOException {
    reply("334 " + text);
    String answer = reader.readLine();
    if (answer == null || answer.equals("*")) {
      throw new IllegalArgumentException("authentication cancelled");
    }
    return answer;
  }

  /** A multi-line reply: {@code 250-first}, ..., {@code 250 last}. */
  void replyLines(int code, List<String> lines) throws IOException {
    for (int i = 0; i < lines.size(); i++) {
      reply(code + (i < lines.size() - 1 ? "-" : " ") + lines.get(i));
    }
  }

  void reply(String line) throws IOException {
    write((line + "\r\n").getBytes(US_ASCII));
  }

  void write(byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream(); // after STARTTLS: the TLS stream
    out.write(bytes);
    out.flush();
  }
}
