package org.mailtls.provider.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.mailtls.testing.HeldCertificate;
import org.opentest4j.AssertionFailedError;

/**
 * A real Dovecot 2.3 (Debian 12: {@code dovecot-imapd}, {@code dovecot-pop3d}) run in the
 * foreground as a child process of the test JVM ({@code dovecot -F -c <generated config>}), serving
 * what its {@link DovecotConfig} says on 127.0.0.1 free ports.
 *
 * <p>Everything lives under one directory the test owns (normally a {@code @TempDir}): config,
 * certificate and key PEMs, {@code base_dir} (sockets, master.pid), {@code state_dir}, the
 * passwd-file and the maildir, and the log (Dovecot logs to {@code /dev/stderr}, which is
 * redirected to {@link #logFile()}). No system service, no file under /etc or /var is touched, and
 * {@link #close()} kills the whole process tree. Users and files: {@link DovecotFiles}.
 *
 * <p>A missing {@code dovecot} binary fails the test (never a skip): CI installs the packages.
 */
public final class Dovecot implements AutoCloseable {
  public static final String USER = "alice";
  public static final String PASSWORD = "dovecot-interop-secret";
  private static final long STARTUP_TIMEOUT_MS = 20_000;
  private static final long STOP_TIMEOUT_MS = 10_000;

  private final Path dir;
  private final Process process;
  private final DovecotConfig.Ports ports;
  private final long startupMillis;

  private Dovecot(Path dir, Process process, DovecotConfig.Ports ports, long startupMillis) {
    this.dir = dir;
    this.process = process;
    this.ports = ports;
    this.startupMillis = startupMillis;
  }

  /**
   * Starts Dovecot under {@code dir} serving {@code leaf} over implicit TLS only, with {@link #USER}'s
   * INBOX holding one message with {@code subject} (the first slice's fixture).
   */
  static Dovecot start(Path dir, HeldCertificate leaf, DovecotConfig.Tls tls, String subject) throws Exception {
    return start(dir, DovecotConfig.builder(leaf).tls(tls).subject(subject).build());
  }

  /**
   * Starts Dovecot under {@code dir} (created if needed) as {@code config} says. Returns once every
   * listener accepts connections and (except for {@link DovecotConfig.Tls#TLS11_ONLY}) once a TLS
   * probe got Dovecot's real greeting, i.e. its auth process is up.
   */
  static Dovecot start(Path dir, DovecotConfig config) throws Exception {
    Path binary = DovecotFiles.binary();
    Files.createDirectories(dir);
    DovecotFiles.Users users = DovecotFiles.users();
    DovecotFiles.openUp(dir);
    Path base = Files.createDirectories(dir.resolve("base"));
    Path state = Files.createDirectories(dir.resolve("state"));
    Path home = Files.createDirectories(dir.resolve("home").resolve(USER));
    DovecotFiles.maildir(home, USER, config.subject(), users);

    DovecotConfig.Ports ports = new DovecotConfig.Ports(freePort(), freePort(),
        config.startTls() ? freePort() : 0, config.startTls() ? freePort() : 0);
    Path confFile = dir.resolve("dovecot.conf");
    Files.writeString(confFile, config.write(dir, ports, users, base, state, home), StandardCharsets.US_ASCII);

    Path log = dir.resolve("dovecot.log");
    Files.createFile(log);
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-F", "-c", confFile.toString())
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long t0 = System.nanoTime();
    Process process = pb.start();
    Dovecot d = new Dovecot(dir, process, ports, 0);
    try {
      long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
      for (int port : new int[] {ports.imaps(), ports.pop3s(), ports.imap(), ports.pop3()}) {
        if (port != 0) {
          d.awaitPort(port, deadline);
        }
      }
      if (config.tls() != DovecotConfig.Tls.TLS11_ONLY) {
        d.awaitGreeting(deadline);
      }
    } catch (Exception | Error e) {
      d.close();
      throw e;
    }
    return new Dovecot(dir, process, ports, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  public int imapsPort() {
    return ports.imaps();
  }

  public int pop3sPort() {
    return ports.pop3s();
  }

  /** The cleartext IMAP (STARTTLS) port; fails unless the config has {@link DovecotConfig#startTls()}. */
  public int imapPort() {
    if (ports.imap() == 0) {
      throw new IllegalStateException(this + " has no cleartext IMAP listener");
    }
    return ports.imap();
  }

  /** The cleartext POP3 (STLS) port; fails unless the config has {@link DovecotConfig#startTls()}. */
  public int pop3Port() {
    if (ports.pop3() == 0) {
      throw new IllegalStateException(this + " has no cleartext POP3 listener");
    }
    return ports.pop3();
  }

  /** Milliseconds from process start until it was ready (see {@link #start}). */
  public long startupMillis() {
    return startupMillis;
  }

  public Path logFile() {
    return dir.resolve("dovecot.log");
  }

  /** Dovecot's log so far (for assertions and failure messages). */
  public String log() {
    try {
      return Files.readString(logFile(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits (bounded) until the log contains {@code text}; Dovecot logs a disconnect asynchronously. */
  public boolean awaitLog(String text, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    do {
      if (log().contains(text)) {
        return true;
      }
      Thread.sleep(25);
    } while (System.currentTimeMillis() < deadline);
    return log().contains(text);
  }

  /** How many log lines contain {@code text}. */
  public long count(String text) {
    return log().lines().filter(l -> l.contains(text)).count();
  }

  /** Waits (bounded) until {@link #count} of {@code text} reaches {@code n}. */
  public boolean awaitCount(String text, long n, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (count(text) < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(25);
    }
    return count(text) >= n;
  }

  /** The last log line containing {@code text}, or "" if none does. */
  public String lastLine(String text) {
    return log().lines().filter(l -> l.contains(text)).reduce((a, b) -> b).orElse("");
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Stops Dovecot: SIGTERM to the master (which stops its children), bounded wait, then SIGKILL to
   * whatever of the tree is left (the tree is snapshotted first: children outlive a killed master).
   */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
      process.descendants().forEach(tree::add);
      for (ProcessHandle h : tree) {
        if (h.isAlive()) {
          h.destroyForcibly();
        }
      }
      for (ProcessHandle h : tree) {
        h.onExit().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("Dovecot under " + dir + " did not stop: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "Dovecot[" + ports + ", dir=" + dir + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private void awaitPort(int port, long deadline) throws Exception {
    while (true) {
      failIfDead();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionFailedError("Dovecot did not listen on 127.0.0.1:" + port + " within "
              + STARTUP_TIMEOUT_MS + " ms; log:\n" + log());
        }
        Thread.sleep(20);
      }
    }
  }

  /**
   * Until Dovecot's auth process answers, imap-login greets with "* OK Waiting for authentication
   * process to respond.." first; wait for the real greeting so clients see a settled server. The
   * probe trusts any certificate: it checks readiness, not TLS.
   */
  private void awaitGreeting(long deadline) throws Exception {
    SSLContext trustAll = SSLContext.getInstance("TLS", "SunJSSE");
    trustAll.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    String last = null;
    while (System.currentTimeMillis() < deadline) {
      failIfDead();
      try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", ports.imaps())) {
        s.setSoTimeout(5_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          last = line;
          if (line.startsWith("* OK") && line.contains("ready")) {
            s.getOutputStream().write("a LOGOUT\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return;
          }
          if (!line.startsWith("* OK Waiting")) {
            break;
          }
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(20);
    }
    throw new AssertionFailedError("Dovecot's IMAPS greeting did not arrive (last: " + last + "); log:\n" + log());
  }

  private void failIfDead() {
    if (!process.isAlive()) {
      throw new AssertionFailedError("dovecot exited with status " + process.exitValue() + "; log:\n" + log());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
