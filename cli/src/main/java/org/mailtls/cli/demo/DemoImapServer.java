package org.mailtls.cli.demo;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.mailtls.provider.server.LineReader;
import org.mailtls.provider.server.ServerSessionState;
import org.mailtls.provider.server.StartTlsRefusedException;
import org.mailtls.provider.server.StartTlsUpgrade;
import org.mailtls.provider.server.UpgradedConnection;

/**
 * A tiny IMAP server on 127.0.0.1 over a MailTLS server context, either implicit TLS (IMAPS) or
 * STARTTLS-only (the upgrade done by {@link StartTlsUpgrade}). It knows CAPABILITY, STARTTLS, NOOP,
 * LOGIN (always refused: it has no accounts, and never before TLS) and LOGOUT; enough for a client
 * to see its greeting and its TLS. Connections are served one at a time on one daemon thread.
 */
public final class DemoImapServer implements AutoCloseable {
  /** How the server offers TLS. */
  public enum Mode { IMPLICIT_TLS, STARTTLS }

  private static final int READ_TIMEOUT_MILLIS = 5_000;

  private final SSLContext context;
  private final Mode mode;
  private final ServerSocket listener;
  private final Thread thread;

  private DemoImapServer(SSLContext context, Mode mode, ServerSocket listener, String name) {
    this.context = context;
    this.mode = mode;
    this.listener = listener;
    this.thread = new Thread(this::acceptLoop, "mailtls-demo-" + name);
    this.thread.setDaemon(true);
  }

  /** Starts a server on a free loopback port; {@code context} must be a MailTLS context with a server key. */
  public static DemoImapServer start(String name, SSLContext context, Mode mode) throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ServerSocket listener = mode == Mode.IMPLICIT_TLS
        ? context.getServerSocketFactory().createServerSocket(0, 16, loopback)
        : new ServerSocket(0, 16, loopback);
    DemoImapServer server = new DemoImapServer(context, mode, listener, name);
    server.thread.start();
    return server;
  }

  /** The port it listens on. */
  public int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        serve(s);
      } catch (IOException | StartTlsRefusedException | RuntimeException e) {
        // A refused handshake or a client that went away: the next client gets a fresh connection.
      }
    }
  }

  private void serve(Socket accepted) throws IOException, StartTlsRefusedException {
    Socket socket = accepted;
    ServerSessionState state = ServerSessionState.initial(mode == Mode.IMPLICIT_TLS);
    if (socket instanceof SSLSocket) {
      ((SSLSocket) socket).startHandshake();
    }
    LineReader reader = LineReader.over(socket);
    OutputStream out = socket.getOutputStream();
    write(out, "* OK [CAPABILITY " + capabilities(state) + "] MailTLS demo IMAP server ready");
    String line;
    while ((line = reader.readLine()) != null) {
      String[] words = line.split(" ", 3);
      String tag = words[0];
      String command = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
      switch (command) {
        case "CAPABILITY" -> {
          write(out, "* CAPABILITY " + capabilities(state));
          write(out, tag + " OK CAPABILITY completed");
        }
        case "STARTTLS" -> {
          if (mode != Mode.STARTTLS || !state.permitsStartTls()) {
            write(out, tag + " BAD STARTTLS not permitted now");
            continue;
          }
          UpgradedConnection c = StartTlsUpgrade.using(context)
              .upgrade(state, socket, reader, tag + " OK Begin TLS negotiation now");
          socket = c.socket();
          reader = c.reader();
          state = c.state();
          out = socket.getOutputStream();
        }
        case "NOOP" -> write(out, tag + " OK NOOP completed");
        case "LOGIN", "AUTHENTICATE" -> write(out, state.isTls() ? tag + " NO [AUTHENTICATIONFAILED] this demo"
            + " server has no accounts" : tag + " NO [PRIVACYREQUIRED] use STARTTLS first");
        case "LOGOUT" -> {
          write(out, "* BYE logging out");
          write(out, tag + " OK LOGOUT completed");
          return;
        }
        default -> write(out, tag + " BAD unknown command");
      }
    }
  }

  private String capabilities(ServerSessionState state) {
    return state.isTls() ? "IMAP4rev1 AUTH=PLAIN" : "IMAP4rev1 STARTTLS LOGINDISABLED";
  }

  private static void write(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(US_ASCII));
    out.flush();
  }

  /** Stops accepting and waits briefly for the serving thread to end. */
  @Override
  public void close() throws IOException {
    listener.close();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
