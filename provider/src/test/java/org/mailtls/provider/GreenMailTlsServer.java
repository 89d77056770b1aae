package org.mailtls.provider;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHandler;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpHandler;
import com.icegreen.greenmail.smtp.commands.SmtpCommandRegistry;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.mailtls.testing.HeldCertificate;

/**
 * GreenMail 2.1.13 IMAPS and SMTPS on 127.0.0.1 (free ports), serving a certificate minted in code
 * through a plain SunJSSE server context ({@link TestServers#rawServer}), not MailTLS.
 *
 * <p>Why not GreenMail's own TLS set-up: {@code AbstractServer.openServerSocket()} takes every TLS
 * server socket from {@code DummySSLServerSocketFactory.getDefault()}, a per-JVM singleton (enum
 * holder) that reads {@code greenmail.tls.keystore.file} / {@code greenmail.tls.keystore.password}
 * once, on first use, and keeps that key store for the life of the JVM. A second certificate (the
 * wrong-name server) could never be served, and whichever test touched GreenMail TLS first would fix
 * the certificate for all others. So this class uses GreenMail's own extension point instead:
 * {@code openServerSocket()} is {@code protected}, and the IMAP and SMTP protocol handlers have
 * public constructors, so a small {@link AbstractServer} subclass runs GreenMail's real IMAP and
 * SMTP handlers on a server socket from our context. No system property and no global state is
 * touched. ({@code ImapServer} is final and {@code GreenMail}'s constructor calls the overridable
 * {@code createServices} before a subclass is initialised, hence no subclass of either.)
 *
 * <p>Each service counts accepted TCP connections and server-side handshakes that completed, so a
 * test can see a client's silent retry (Angus's socket-factory fallback opens a second connection).
 */
final class GreenMailTlsServer implements AutoCloseable {
  static final String BIND_ADDRESS = "127.0.0.1";
  private static final long STARTUP_TIMEOUT_MS = 10_000;

  private final Managers managers = new Managers();
  private final TlsService imaps;
  private final TlsService smtps;

  private GreenMailTlsServer(SSLContext serverContext) {
    this.imaps = new TlsService(new ServerSetup(0, BIND_ADDRESS, ServerSetup.PROTOCOL_IMAPS), managers, serverContext,
        s -> new ImapHandler(managers.getUserManager(), managers.getImapHostManager(), s));
    this.smtps = new TlsService(new ServerSetup(0, BIND_ADDRESS, ServerSetup.PROTOCOL_SMTPS), managers, serverContext,
        s -> new SmtpHandler(new SmtpCommandRegistry(), managers.getSmtpManager(), s));
  }

  /** Starts IMAPS and SMTPS serving {@code leaf} (with its intermediate) on free loopback ports. */
  static GreenMailTlsServer start(HeldCertificate leaf) throws Exception {
    GreenMailTlsServer server = new GreenMailTlsServer(TestServers.rawServer(leaf));
    try {
      server.imaps.startAndWait();
      server.smtps.startAndWait();
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  TlsService imaps() {
    return imaps;
  }

  TlsService smtps() {
    return smtps;
  }

  /** Creates a mailbox user. */
  GreenMailUser addUser(String email, String login, String password) throws Exception {
    return managers.getUserManager().createUser(email, login, password);
  }

  /** The first message any mailbox received with this subject, waiting up to {@code timeout}. */
  Optional<MimeMessage> awaitMessage(String subject, Duration timeout) throws MessagingException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      List<StoredMessage> all = managers.getImapHostManager().getAllMessages();
      for (StoredMessage m : all) {
        if (subject.equals(m.getMimeMessage().getSubject())) {
          return Optional.of(m.getMimeMessage());
        }
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  @Override
  public void close() {
    imaps.stopService(); // closes the server socket and open connections; a no-op if never started
    smtps.stopService();
  }

  /** One GreenMail service (IMAPS or SMTPS) on a TLS server socket from our own context. */
  static final class TlsService extends AbstractServer {
    private final SSLContext serverContext;
    private final Function<Socket, ProtocolHandler> handlers;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final List<RuntimeException> handlerFailures = new CopyOnWriteArrayList<>();

    TlsService(ServerSetup setup, Managers managers, SSLContext serverContext,
        Function<Socket, ProtocolHandler> handlers) {
      super(setup, managers);
      this.serverContext = serverContext;
      this.handlers = handlers;
    }

    /** Replaces GreenMail's bundled-key-store factory; binds like AbstractServer does. */
    @Override
    protected ServerSocket openServerSocket() throws IOException {
      SSLServerSocket socket = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket();
      try {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(bindTo, setup.getPort()));
      } catch (IOException e) {
        socket.close();
        throw e;
      }
      setup = setup.port(socket.getLocalPort());
      setName(setup.getProtocol() + ':' + setup.getBindAddress() + ':' + setup.getPort());
      return socket;
    }

    /**
     * GreenMail's handler, whose failure is kept here instead of escaping its thread: when a client
     * refuses the certificate (as the refusal tests intend) GreenMail's IMAP and SMTP handlers throw
     * {@code IllegalStateException} from {@code run()}, which would print a stack trace per refused
     * connection.
     */
    @Override
    protected ProtocolHandler createProtocolHandler(Socket socket) {
      ProtocolHandler handler = handlers.apply(socket);
      return new ProtocolHandler() {
        @Override
        public void run() {
          try {
            handler.run();
          } catch (RuntimeException e) {
            handlerFailures.add(e);
          }
        }

        @Override
        public void close() {
          handler.close();
        }
      };
    }

    /**
     * Counts the connection before GreenMail's handler thread reads the ClientHello, so a client
     * that has seen the server's certificate has always been counted.
     */
    @Override
    protected void handleClientSocket(Socket socket) throws SocketException {
      accepted.incrementAndGet();
      if (socket instanceof SSLSocket) {
        ((SSLSocket) socket).addHandshakeCompletedListener(event -> handshakes.incrementAndGet());
      }
      super.handleClientSocket(socket);
    }

    void startAndWait() throws InterruptedException {
      startService();
      if (!waitTillRunning(STARTUP_TIMEOUT_MS)) {
        throw new IllegalStateException(
            "GreenMail " + getName() + " did not start within " + STARTUP_TIMEOUT_MS + " ms");
      }
    }

    /** TCP connections accepted so far. */
    int accepted() {
      return accepted.get();
    }

    /**
     * Server-side handshakes that completed so far. A client that refuses the certificate never
     * sends its Finished, so the server's handshake cannot complete; SunJSSE reports completions on a
     * separate thread, so a positive count may lag a little (see {@link #awaitHandshakes}).
     */
    int handshakes() {
      return handshakes.get();
    }

    /** What GreenMail's handlers threw so far (a refused handshake makes them throw); for debugging. */
    List<RuntimeException> handlerFailures() {
      return handlerFailures;
    }

    /** Waits until at least {@code n} server-side handshakes completed; returns the count then. */
    int awaitHandshakes(int n, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (handshakes.get() < n && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      return handshakes.get();
    }
  }
}
