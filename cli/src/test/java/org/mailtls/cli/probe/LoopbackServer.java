package org.mailtls.cli.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A test server on 127.0.0.1 and a free port, one thread per connection; {@link #close()} stops it
 * and every connection. Subclasses serve one accepted socket; what they executed is logged.
 */
public abstract class LoopbackServer implements AutoCloseable {
  /** Bounds every read of a test server. */
  static final int TIMEOUT_MS = 10_000;

  /** Commands and events, in order, across connections. */
  public final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private final ServerSocket listener;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  protected LoopbackServer(ServerSocket listener) {
    this.listener = listener;
  }

  /** A plain listener on 127.0.0.1, free port. */
  public static ServerSocket plainListener() throws IOException {
    return new ServerSocket(0, 50, loopback());
  }

  static InetAddress loopback() throws IOException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
  }

  /** Starts accepting; call at the end of the subclass constructor. */
  protected final void start() {
    pool.execute(() -> {
      while (!listener.isClosed()) {
        try {
          Socket s = listener.accept();
          open.add(s);
          pool.execute(() -> {
            try {
              s.setSoTimeout(TIMEOUT_MS);
              serve(s);
            } catch (IOException | RuntimeException e) {
              log.add("failure: " + e.getClass().getSimpleName());
            } finally {
              closeQuietly(s);
            }
          });
        } catch (SocketException closed) {
          return;
        } catch (IOException e) {
          log.add("accept failure: " + e);
          return;
        }
      }
    });
  }

  /** Serves one connection; the socket is closed afterwards. */
  protected abstract void serve(Socket accepted) throws IOException;

  /** Tracks a socket made from an accepted one (after STARTTLS) so close() closes it too. */
  protected final void track(Socket s) {
    open.add(s);
  }

  public final int port() {
    return listener.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    open.forEach(LoopbackServer::closeQuietly);
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        throw new AssertionError(getClass().getSimpleName() + " did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping " + getClass().getSimpleName(), e);
    }
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException alreadyGone) {
      // a TLS socket over a closed transport may fail to send close_notify
    }
  }

  /** A port nothing listens on (bound, then released). */
  public static int closedPort() throws IOException {
    try (ServerSocket s = plainListener()) {
      return s.getLocalPort();
    }
  }
}
