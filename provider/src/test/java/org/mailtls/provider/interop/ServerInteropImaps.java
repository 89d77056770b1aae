package org.mailtls.provider.interop;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.MailTls;
import org.mailtls.provider.server.AuthDecision;
import org.mailtls.provider.server.CleartextAuthGate;
import org.mailtls.provider.server.CleartextAuthPolicy;
import org.mailtls.provider.server.LineReader;
import org.mailtls.provider.server.ServerSessionState;
import org.mailtls.provider.server.StartTlsAdvertisement;
import org.mailtls.provider.server.StartTlsRefusedException;
import org.mailtls.provider.server.StartTlsUpgrade;
import org.mailtls.provider.server.UpgradedConnection;

/**
 * A small IMAP server on 127.0.0.1 for real clients (openssl, curl, gnutls-cli, sslscan), either
 * IMAPS (implicit TLS, RFC 8314 §3: its listener is the context's {@link SSLServerSocket}) or IMAP
 * with STARTTLS ({@link StartTlsUpgrade}). Commands: CAPABILITY, NOOP, LOGIN (through {@link
 * CleartextAuthGate}, cleartext login off: LOGINDISABLED and no AUTH=PLAIN before TLS), AUTHENTICATE
 * PLAIN and EXTERNAL (RFC 4959 SASL-IR or a continuation; EXTERNAL's identity is MailTLS's {@code
 * saslExternalIdentity}, advertised only when there is one), LIST (one INBOX), STARTTLS, LOGOUT. Every connection is recorded ({@link Served}) with its TLS facts, commands and failure, so
 * tests can say what the server saw, not only what the client printed.
 */
final class ServerInteropImaps implements AutoCloseable {
  /** What one connection did: TLS session (null if none), commands, authenticated user, failure. */
  record Served(SSLSession tls, List<String> commands, String user, Throwable failure) {
    Optional<TrustDecision.Refused> refusal() {
      return failure == null ? Optional.empty() : MailTls.decisionOf(failure);
    }

    @Override
    public String toString() {
      return "Served[" + (tls == null ? "no TLS" : tls.getProtocol() + " " + tls.getCipherSuite())
          + ", commands " + commands + ", user " + user + ", failure " + failure + "]";
    }
  }

  final List<Served> served = new CopyOnWriteArrayList<>();

  private final SSLContext context;
  private final StartTlsUpgrade startTls;
  private final ServerSocket listener;
  private final CleartextAuthGate gate = new CleartextAuthGate(CleartextAuthPolicy.disabledForEveryone());
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private ServerInteropImaps(SSLContext context, StartTlsUpgrade startTls, ServerSocket listener) {
    this.context = context;
    this.startTls = startTls;
    this.listener = listener;
    pool.execute(this::acceptLoop);
  }

  /** IMAPS: the listener is {@code context}'s server socket, adjusted by {@code tweak} (raw controls only). */
  static ServerInteropImaps implicitTls(SSLContext context, Consumer<SSLServerSocket> tweak) throws IOException {
    SSLServerSocket l = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 50, ServerInteropFixtures.loopback());
    tweak.accept(l);
    return new ServerInteropImaps(context, null, l);
  }

  static ServerInteropImaps implicitTls(SSLContext context) throws IOException {
    return implicitTls(context, l -> {});
  }

  /** IMAP on a cleartext port with STARTTLS over the MailTLS {@code context}. */
  static ServerInteropImaps startTls(SSLContext context) throws IOException {
    return new ServerInteropImaps(context, StartTlsUpgrade.using(context),
        new ServerSocket(0, 50, ServerInteropFixtures.loopback()));
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The listener (an SSLServerSocket for IMAPS), to read its enabled protocols and suites. */
  ServerSocket listener() {
    return listener;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        open.add(s);
        pool.execute(() -> serve(s));
      } catch (IOException | RuntimeException e) {
        if (!(e instanceof SocketException) || !listener.isClosed()) {
          served.add(new Served(null, List.of(), null, e));
        }
        return;
      }
    }
  }

  private void serve(Socket accepted) {
    Socket socket = accepted;
    List<String> commands = new CopyOnWriteArrayList<>();
    String user = null;
    Throwable failure = null;
    try {
      socket.setSoTimeout(15_000);
      if (socket instanceof SSLSocket tls) {
        tls.startHandshake(); // fail here, recorded, rather than on the first read
      }
      ServerSessionState state = ServerSessionState.initial(socket instanceof SSLSocket);
      LineReader reader = LineReader.over(socket);
      OutputStream out = socket.getOutputStream();
      reply(out, "* OK [CAPABILITY " + capabilities(state, socket) + "] MailTLS interop IMAP ready");
      String line;
      while ((line = reader.readLine()) != null) {
        String[] w = line.split(" ", -1);
        String tag = w[0];
        String command = w.length > 1 ? w[1].toUpperCase(Locale.ROOT) : "";
        commands.add(command);
        switch (command) {
          case "CAPABILITY" -> {
            reply(out, "* CAPABILITY " + capabilities(state, socket));
            reply(out, tag + " OK CAPABILITY completed");
          }
          case "NOOP" -> reply(out, tag + " OK NOOP completed");
          case "LOGIN" -> {
            AuthDecision d = gate.check(state.isTls(), unquote(w, 2), unquote(w, 3), ServerInteropSasl::verify);
            if (d instanceof AuthDecision.Refused r) {
              out.write(r.imap(tag));
              out.flush();
            } else if (d instanceof AuthDecision.Allowed a) {
              state = state.afterAuthentication();
              user = a.user();
              reply(out, tag + " OK LOGIN completed");
            } else {
              reply(out, tag + " NO [AUTHENTICATIONFAILED] Invalid credentials");
            }
          }
          case "AUTHENTICATE" -> {
            String authenticated = ServerInteropSasl.authenticate(gate, tag, w, reader, out, state, socket);
            if (authenticated != null) {
              state = state.afterAuthentication();
              user = authenticated;
            }
          }
          case "LIST" -> {
            reply(out, "* LIST (\\HasNoChildren) \"/\" INBOX");
            reply(out, tag + " OK LIST completed");
          }
          case "STARTTLS" -> {
            if (startTls == null) {
              reply(out, tag + " BAD TLS is already active");
              continue;
            }
            try {
              UpgradedConnection c = startTls.upgrade(state, socket, reader, tag + " OK Begin TLS negotiation now");
              open.add(c.socket());
              socket = c.socket();
              reader = c.reader();
              state = c.state();
              out = socket.getOutputStream();
            } catch (StartTlsRefusedException e) {
              reply(out, tag + " BAD " + e.reason() + ": STARTTLS not permitted now");
            }
          }
          case "LOGOUT" -> {
            reply(out, "* BYE logging out");
            reply(out, tag + " OK LOGOUT completed");
            return;
          }
          default -> reply(out, tag + " BAD unknown command");
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      SSLSession session = socket instanceof SSLSocket tls && failure == null ? tls.getSession() : null;
      served.add(new Served(session, List.copyOf(commands), user, failure));
      try {
        socket.close();
      } catch (IOException ignored) {
        // the peer is gone already
      }
    }
  }

  private String capabilities(ServerSessionState state, Socket socket) {
    StringBuilder caps = new StringBuilder("IMAP4rev1 SASL-IR");
    if (startTls != null && StartTlsAdvertisement.mayAdvertise(context, state)) {
      caps.append(" STARTTLS");
    }
    if (gate.imapLoginDisabled(state.isTls())) {
      caps.append(" LOGINDISABLED");
    }
    if (!state.isAuthenticated()) {
      gate.mechanismsToAdvertise(state.isTls(), List.of("PLAIN")).forEach(m -> caps.append(" AUTH=").append(m));
    }
    if (!state.isAuthenticated() && ServerInteropSasl.externalIdentity(socket).isPresent()) {
      caps.append(" AUTH=EXTERNAL");
    }
    return caps.toString();
  }

  private static String unquote(String[] w, int i) {
    if (w.length <= i) {
      return "";
    }
    String s = w[i];
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  static void reply(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(US_ASCII));
    out.flush();
  }

  /** Waits until at least {@code n} connections have ended, then returns the log. */
  List<Served> awaitServed(int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (served.size() < n && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    if (served.size() < n) {
      throw new AssertionError("the server finished " + served.size() + " of " + n + " connections: " + served);
    }
    return List.copyOf(served);
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException alreadyGone) {
        // close_notify may fail on a dead transport
      }
    }
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the interop IMAP server did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
