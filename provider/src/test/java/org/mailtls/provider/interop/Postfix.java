package org.mailtls.provider.interop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mailtls.testing.HeldCertificate;
import org.opentest4j.AssertionFailedError;

/**
 * A real Postfix 3.7 (Debian 12: {@code postfix}) run by the test as {@code postfix -c <dir>/etc
 * start-fg}, with two submission services on 127.0.0.1 free ports: {@code submissions} (RFC 8314
 * implicit TLS, {@code smtpd_tls_wrappermode=yes}) and {@code submission} (STARTTLS required,
 * {@code smtpd_tls_security_level=encrypt}). Both demand SASL ({@code smtpd_client_restrictions =
 * permit_sasl_authenticated, reject}, {@code smtpd_tls_auth_only = yes}) through a private Dovecot
 * auth service ({@link PostfixDovecotAuth}), and deliver {@link #USER}'s mail with Postfix's
 * {@code virtual(8)} agent into a maildir under the directory ({@link #mailbox()}).
 *
 * <p>Private configuration, found to work on Debian 12's Postfix 3.7.11 with no {@code
 * /etc/postfix/main.cf} at all: run as root, {@code postfix -c DIR} accepts any directory (the
 * {@code alternate_config_directories} check of the default main.cf applies only to the set-gid
 * {@code postqueue}/{@code postdrop} run by other users, which the fixture never uses), so neither
 * {@code MAIL_CONFIG} games nor running {@code master} by hand are needed. {@code main.cf} puts
 * {@code queue_directory}, {@code data_directory} and {@code meta_directory} (with copies of the
 * package's {@code postfix-files} and {@code dynamicmaps.cf}) under the directory, logs with
 * {@code maillog_file = /dev/stdout} (through the {@code postlog} service), which is redirected to
 * {@link #logFile()}, and has no {@code smtp} inet service, so nothing binds port 25. Checked with
 * strace on 3.7.11: no file under /etc/postfix, /var/spool/postfix or /var/lib/postfix is opened
 * (postfix-script only tests whether /etc/postfix/main.cf exists, for multi-instance set-ups), and
 * the only syslog contact is the {@code postfix} command's start-up {@code openlog()} connect to
 * /dev/log, made before it has read {@code maillog_file}; every line logged goes to the file. {@code postfix check} runs first ({@link #checkOutput()}); its {@code post-install
 * create-missing} creates the queue directories owned by {@code postfix}/{@code postdrop}.
 * {@code start-fg} (Postfix ≥ 3.3) keeps {@code master -s} as a child of the test's process;
 * {@link #close()} runs {@code postfix stop} and then kills whatever is left of the process tree.
 *
 * <p>The {@code postfix} command is reserved for the super-user, so the fixture needs root (CI runs
 * as root). A missing binary, user or group fails the test with the Debian package to install.
 */
public final class Postfix implements AutoCloseable {
  /** The mail domain served by the virtual delivery agent. */
  public static final String DOMAIN = "mailtls.test";
  /** The SASL user name and the one mailbox address. */
  public static final String USER = "alice@" + DOMAIN;
  public static final String PASSWORD = "postfix-interop-secret";
  static final String INSTALL_HINT = "install the Debian package postfix non-interactively: "
      + "(echo \"postfix postfix/main_mailer_type select No configuration\"; "
      + "echo \"postfix postfix/mailname string localhost\") | debconf-set-selections && "
      + "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postfix";
  static final long STARTUP_TIMEOUT_MS = 30_000;
  static final long STOP_TIMEOUT_MS = 10_000;
  private static final String[] QUEUES = {"maildrop", "incoming", "active", "deferred", "hold", "corrupt"};

  /** The TLS versions Postfix accepts. */
  public enum Tls {
    /** Postfix 3.7 defaults on OpenSSL 3.0: TLS 1.0 and newer allowed, TLS 1.3 preferred. */
    MODERN,
    /**
     * TLS 1.1 only: {@code smtpd_tls_(mandatory_)protocols = >=TLSv1.1, <=TLSv1.1}, and the
     * {@code medium} cipher list at OpenSSL security level 0, without which OpenSSL 3 refuses TLS
     * 1.1.
     */
    TLS11_ONLY
  }

  private final Path dir;
  private final Process process;
  private final PostfixDovecotAuth auth;
  private final int submissionsPort;
  private final int submissionPort;
  private final Set<ProcessHandle> seen = new LinkedHashSet<>();
  private long startupMillis;

  private Postfix(Path dir, Process process, PostfixDovecotAuth auth, int submissionsPort, int submissionPort) {
    this.dir = dir;
    this.process = process;
    this.auth = auth;
    this.submissionsPort = submissionsPort;
    this.submissionPort = submissionPort;
  }

  /**
   * Starts Postfix under {@code dir} (created if needed) serving {@code leaf} with its issuers except
   * a self-signed root. Returns once the master logged its start and both ports are listening.
   */
  public static Postfix start(Path dir, HeldCertificate leaf, Tls tls) throws Exception {
    Path postfix = PostfixOs.findBinary("postfix").orElseThrow(() -> new AssertionFailedError(
        "the postfix binary is not installed (looked in PATH, /usr/sbin, /usr/local/sbin): " + INSTALL_HINT));
    if (!PostfixOs.isRoot()) {
      throw new AssertionFailedError("the postfix command is reserved for the super-user (postfix(1)); run the "
          + "interop tests as root, as CI does (user now: " + System.getProperty("user.name") + ")");
    }
    UserPrincipal nobody = PostfixOs.lookupUser("nobody");
    PostfixOs.lookupUser("postfix");
    PostfixOs.lookupGroup("postdrop");
    long t0 = System.nanoTime();
    Files.createDirectories(dir);
    // The directory chain must be traversable by postfix, dovecot and nobody (a @TempDir is 0700).
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(tmp) && !p.equals(tmp); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Path queue = Files.createDirectories(dir.resolve("queue"));
    Path vmail = Files.createDirectories(dir.resolve("vmail"));
    Files.getFileAttributeView(vmail, PosixFileAttributeView.class).setOwner(nobody);
    Path systemMeta = Path.of(PostfixOs.postconf(postfix, null, "-dh", "meta_directory").strip());
    if (!Files.isReadable(systemMeta.resolve("postfix-files"))) {
      throw new AssertionFailedError(systemMeta.resolve("postfix-files") + " is missing (post-install needs it): "
          + INSTALL_HINT);
    }
    Files.copy(systemMeta.resolve("postfix-files"), etc.resolve("postfix-files"));
    if (Files.isReadable(systemMeta.resolve("dynamicmaps.cf"))) {
      Files.copy(systemMeta.resolve("dynamicmaps.cf"), etc.resolve("dynamicmaps.cf"));
    } else {
      Files.writeString(etc.resolve("dynamicmaps.cf"), "# dict-type so-name dict-function mkmap-function\n");
    }
    Files.createDirectories(etc.resolve("postfix-files.d"));
    Files.createDirectories(etc.resolve("dynamicmaps.cf.d"));
    Path key = etc.resolve("key.pem");
    Files.writeString(key, leaf.privateKeyPkcs8Pem(), StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------")); // smtpd reads it as root
    Files.writeString(etc.resolve("chain.pem"), chainPem(leaf), StandardCharsets.US_ASCII);
    Files.writeString(etc.resolve("vmailbox"), USER + " alice/\n", StandardCharsets.US_ASCII);

    int submissions = PostfixOs.freePort();
    int submission = PostfixOs.freePort();
    String mainCf = PostfixConfig.mainCf(etc, queue, vmail, PostfixOs.passwdField("nobody", 2),
        PostfixOs.passwdField("nobody", 3), tls);
    Files.writeString(etc.resolve("main.cf"), mainCf, StandardCharsets.US_ASCII);
    Files.writeString(etc.resolve("master.cf"), PostfixConfig.masterCf(submissions, submission),
        StandardCharsets.US_ASCII);

    Path log = dir.resolve("postfix.log");
    Files.createFile(log);
    Path check = dir.resolve("postfix-check.log");
    int checkExit = PostfixOs.run(new ProcessBuilder(postfix.toString(), "-c", etc.toString(), "check"), check);
    if (checkExit != 0) {
      throw new AssertionFailedError("postfix -c " + etc + " check failed (exit " + checkExit + "):\n"
          + Files.readString(check));
    }
    PostfixDovecotAuth auth = PostfixDovecotAuth.start(Files.createDirectories(dir.resolve("dovecot")),
        queue.resolve("private").resolve("auth"), "postfix");
    Process process;
    try {
      ProcessBuilder pb = new ProcessBuilder(postfix.toString(), "-c", etc.toString(), "start-fg")
          .directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().remove("MAIL_CONFIG");
      process = pb.start();
    } catch (IOException | RuntimeException e) {
      auth.close();
      throw e;
    }
    Postfix p = new Postfix(dir, process, auth, submissions, submission);
    try {
      long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
      if (!p.awaitLog("daemon started -- version", STARTUP_TIMEOUT_MS)) {
        throw new AssertionFailedError("Postfix's master did not log its start; log:\n" + p.log()
            + "\nDovecot auth log:\n" + auth.log());
      }
      p.awaitListening(submissions, deadline);
      p.awaitListening(submission, deadline);
    } catch (Exception | Error e) {
      p.close();
      throw e;
    }
    p.startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    return p;
  }

  /** Port of the {@code submissions} service (implicit TLS, RFC 8314 §3.3). */
  public int submissionsPort() {
    return submissionsPort;
  }

  /** Port of the {@code submission} service (STARTTLS required, RFC 6409 + RFC 3207). */
  public int submissionPort() {
    return submissionPort;
  }

  /** Milliseconds from the first file written until Postfix was ready, {@code postfix check} included. */
  public long startupMillis() {
    return startupMillis;
  }

  /** The private configuration directory ({@code postfix -c} argument). */
  public Path configDirectory() {
    return dir.resolve("etc");
  }

  public Path logFile() {
    return dir.resolve("postfix.log");
  }

  /** Postfix's log so far (maillog_file = /dev/stdout, redirected). */
  public String log() {
    return read(logFile());
  }

  /** What {@code postfix -c DIR check} printed before the start (empty when the config is clean). */
  public String checkOutput() {
    return read(dir.resolve("postfix-check.log"));
  }

  /** The Dovecot auth service's log (SASL back end). */
  public String authLog() {
    return auth.log();
  }

  /** Waits (bounded) until the log contains {@code text}; Postfix logs through postlogd, asynchronously. */
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

  /** The messages delivered to {@link #USER}'s maildir ({@code new/} and {@code cur/}), as text. */
  public List<String> mailbox() throws IOException {
    List<String> out = new ArrayList<>();
    for (String sub : new String[] {"new", "cur"}) {
      Path d = dir.resolve("vmail").resolve("alice").resolve(sub);
      if (Files.isDirectory(d)) {
        try (Stream<Path> files = Files.list(d)) {
          for (Path f : (Iterable<Path>) files.sorted()::iterator) {
            out.add(Files.readString(f, StandardCharsets.UTF_8));
          }
        }
      }
    }
    return out;
  }

  /** Waits (bounded) for a delivered message whose header has {@code Subject: subject}. */
  public Optional<String> awaitDelivery(String subject, long timeoutMillis) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      for (String m : mailbox()) {
        if (m.replaceAll("\r?\n[ \t]+", " ").contains("\nSubject: " + subject + "\n")) { // unfolded (RFC 5322 §2.2.3)
          return Optional.of(m);
        }
      }
      if (System.currentTimeMillis() > deadline) {
        return Optional.empty();
      }
      Thread.sleep(25);
    }
  }

  /** Files in the queues (maildrop, incoming, active, deferred, hold, corrupt): messages not yet gone. */
  public List<Path> queuedFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String q : QUEUES) {
      Path d = dir.resolve("queue").resolve(q);
      if (Files.isDirectory(d)) {
        try (Stream<Path> all = Files.walk(d)) {
          all.filter(Files::isRegularFile).forEach(out::add);
        }
      }
    }
    return out;
  }

  /** Whether the start-fg process, any process of its tree seen so far, or Dovecot auth still runs. */
  public boolean isAlive() {
    process.descendants().forEach(seen::add);
    return process.isAlive() || seen.stream().anyMatch(PostfixOs::isRunning) || auth.isAlive();
  }

  /** {@code postfix -c DIR stop} (SIGTERM to the master), then SIGKILL to what is left; then Dovecot auth. */
  @Override
  public void close() {
    process.descendants().forEach(seen::add);
    List<ProcessHandle> tree = List.copyOf(seen);
    try {
      Optional<Path> postfix = PostfixOs.findBinary("postfix");
      if (postfix.isPresent() && process.isAlive()) {
        PostfixOs.run(new ProcessBuilder(postfix.get().toString(), "-c", configDirectory().toString(), "stop"),
            dir.resolve("postfix-stop.log"));
      }
    } catch (Exception e) {
      // fall through to the kill; the tree was snapshotted above
    } finally {
      try {
        PostfixOs.stopTree(process.toHandle(), tree, "Postfix under " + dir);
      } finally {
        auth.close();
      }
    }
  }

  @Override
  public String toString() {
    return "Postfix[submissions=" + submissionsPort + ", submission=" + submissionPort + ", dir=" + dir + "]";
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Waits until 127.0.0.1:{@code port} is in LISTEN state, read from {@code /proc/net/tcp} rather
   * than probed: a probe connection would make smtpd log an {@code SSL_accept} error that the
   * refusal tests must not confuse with theirs.
   */
  private void awaitListening(int port, long deadline) throws Exception {
    String local = String.format("0100007F:%04X", port);
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionFailedError("postfix start-fg exited with status " + process.exitValue() + "; log:\n"
            + log() + "\nDovecot auth log:\n" + auth.log());
      }
      try (Stream<String> lines = Files.lines(Path.of("/proc/net/tcp"))) {
        if (lines.map(l -> l.trim().split("\\s+"))
            .anyMatch(f -> f.length > 3 && f[1].equals(local) && f[3].equals("0A"))) {
          return;
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionFailedError("Postfix did not listen on 127.0.0.1:" + port + "; log:\n" + log());
      }
      Thread.sleep(20);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Leaf, then its issuers without a final self-signed root (as a server sends it). A copy of
   * {@code Dovecot.chainPem}, so the two fixtures can change independently.
   */
  static String chainPem(HeldCertificate leaf) throws CertificateEncodingException {
    List<X509Certificate> chain = leaf.chain();
    int n = chain.size();
    X509Certificate last = chain.get(n - 1);
    if (n > 1 && last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
      n--;
    }
    StringBuilder sb = new StringBuilder();
    Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    for (int i = 0; i < n; i++) {
      sb.append("-----BEGIN CERTIFICATE-----\n")
          .append(b64.encodeToString(chain.get(i).getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return sb.toString();
  }
}
