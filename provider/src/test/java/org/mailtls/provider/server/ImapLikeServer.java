package org.mailtls.provider.server;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A tiny IMAP-like server on 127.0.0.1 written the way the package asks server authors to write
 * one: commands only through {@link LineReader}, STARTTLS only through {@link StartTlsUpgrade},
 * STARTTLS advertised through {@link StartTlsAdvertisement}, LOGIN through {@link CleartextAuthGate}.
 * Commands: CAPABILITY, NOOP, LOGIN user pass, STARTTLS, LOGOUT. It logs every command it executes
 * ("tag COMMAND"), the discard counts and refusals of STARTTLS, and any failure.
 */
final class ImapLikeServer implements AutoCloseable {
  static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN", "SCRAM-SHA-256", "EXTERNAL");

  final List<String> executed = Collections.synchronizedList(new ArrayList<>());
  final List<Long> discarded = Collections.synchronizedList(new ArrayList<>());
  final List<StartTlsRefusedException.Reason> refusals = Collections.synchronizedList(new ArrayList<>());
  final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

  private final ServerSocket listener;
  private final SSLContext context;
  private final StartTlsUpgrade upgrade;
  private final CleartextAuthGate gate;
  private final PasswordVerifier verifier;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Semaphore finished = new Semaphore(0);

  private ImapLikeServer(SSLContext context, StartTlsUpgrade upgrade, CleartextAuthGate gate,
      PasswordVerifier verifier) throws IOException {
    this.context = context;
    this.upgrade = upgrade;
    this.gate = gate;
    this.verifier = verifier;
    this.listener = new ServerSocket(0, 10, ServerFixtures.loopback());
  }

  static ImapLikeServer start(SSLContext context, StartTlsUpgrade upgrade, CleartextAuthGate gate,
      PasswordVerifier verifier) throws IOException {
    ImapLikeServer s = new ImapLikeServer(context, upgrade, gate, verifier);
    s.pool.execute(s::acceptLoop);
    return s;
  }

  int port() {
    return listener.getLocalPort();
  }

  /** A client connected to this server, greeting read. */
  Socket connect() throws IOException {
    Socket s = new Socket(ServerFixtures.loopback(), port());
    s.setSoTimeout(ServerFixtures.TIMEOUT_MS);
    s.setTcpNoDelay(true);
    String greeting = ServerFixtures.readLine(s);
    if (!greeting.startsWith("* OK")) {
      s.close();
      throw new IOException("unexpected greeting: " + greeting);
    }
    return s;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        open.add(s);
        pool.execute(() -> serve(s));
      } catch (SocketException closed) {
        return;
      } catch (IOException | RuntimeException e) {
        failures.add(e);
        return;
      }
    }
  }

  private void serve(Socket accepted) {
    Socket socket = accepted;
    try {
      socket.setSoTimeout(ServerFixtures.TIMEOUT_MS);
      LineReader reader = LineReader.over(socket);
      OutputStream out = socket.getOutputStream();
      ServerSessionState state = ServerSessionState.PLAIN_UNAUTHENTICATED;
      reply(out, "* OK IMAP-like server ready");
      String line;
      while ((line = reader.readLine()) != null) {
        String[] w = line.split(" ", -1);
        String tag = w[0];
        String command = w.length > 1 ? w[1].toUpperCase(Locale.ROOT) : "";
        executed.add(tag + " " + command);
        switch (command) {
          case "CAPABILITY" -> {
            reply(out, capability(state));
            reply(out, tag + " OK CAPABILITY completed");
          }
          case "NOOP" -> reply(out, tag + " OK NOOP completed");
          case "LOGIN" -> {
            AuthDecision d = gate.check(state.isTls(), w.length > 2 ? w[2] : "", w.length > 3 ? w[3] : "", verifier);
            if (d instanceof AuthDecision.Refused r) {
              out.write(r.imap(tag));
              out.flush();
            } else if (d.isAllowed()) {
              state = state.afterAuthentication();
              reply(out, tag + " OK LOGIN completed");
            } else {
              reply(out, tag + " NO [AUTHENTICATIONFAILED] Invalid credentials");
            }
          }
          case "STARTTLS" -> {
            try {
              UpgradedConnection c = upgrade.upgrade(state, socket, reader, tag + " OK Begin TLS negotiation now");
              open.add(c.socket());
              socket = c.socket();
              reader = c.reader();
              state = c.state();
              out = socket.getOutputStream();
              discarded.add(c.discardedBytes());
            } catch (StartTlsRefusedException e) {
              refusals.add(e.reason());
              reply(out, tag + " BAD " + e.reason() + ": STARTTLS not permitted now");
            }
          }
          case "LOGOUT" -> {
            reply(out, "* BYE");
            reply(out, tag + " OK LOGOUT completed");
            return;
          }
          default -> reply(out, tag + " BAD unknown command");
        }
      }
    } catch (IOException | RuntimeException e) {
      failures.add(e);
    } finally {
      try {
        socket.close();
      } catch (IOException e) {
        failures.add(e);
      }
      finished.release();
    }
  }

  private String capability(ServerSessionState state) {
    StringBuilder caps = new StringBuilder("* CAPABILITY IMAP4rev1");
    if (StartTlsAdvertisement.mayAdvertise(context, state)) {
      caps.append(" STARTTLS");
    }
    if (gate.imapLoginDisabled(state.isTls())) {
      caps.append(" LOGINDISABLED");
    }
    for (String m : gate.mechanismsToAdvertise(state.isTls(), MECHANISMS)) {
      caps.append(" AUTH=").append(m);
    }
    return caps.toString();
  }

  private static void reply(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(US_ASCII));
    out.flush();
  }

  /** Waits until {@code n} connections have been served to the end (their logs are then complete). */
  void awaitFinished(int n) throws InterruptedException {
    if (!finished.tryAcquire(n, ServerFixtures.TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the IMAP-like server did not finish " + n + " connection(s)");
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException alreadyGone) {
        // closing a TLS socket whose transport is closed may fail to send close_notify
      }
    }
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(ServerFixtures.TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the IMAP-like server did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping the IMAP-like server", e);
    }
  }
}
