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
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.mailtls.testing.HeldCertificate;
import org.opentest4j.AssertionFailedError;

/**
 * A real Dovecot 2.3 (Debian 12: {@code dovecot-imapd}, {@code dovecot-pop3d}) run in the
 * foreground as a child process of the test JVM ({@code dovecot -F -c <generated config>}), serving
 * IMAPS and POP3S (implicit TLS only; the cleartext listeners have port 0) on 127.0.0.1 free ports.
 *
 * <p>Everything lives under one directory the test owns (normally a {@code @TempDir}): config,
 * certificate and key PEMs, {@code base_dir} (sockets, master.pid), {@code state_dir}, the
 * passwd-file and the maildir, and the log (Dovecot logs to {@code /dev/stderr}, which is
 * redirected to {@link #logFile()}). No system service, no file under /etc or /var is touched, and
 * {@link #close()} kills the whole process tree.
 *
 * <p>Users. Run as root (CI), Dovecot's unprivileged processes use the users Debian's package
 * creates ({@code default_internal_user = dovecot}, {@code default_login_user = dovenull}) and the
 * mail user's processes run as {@code nobody}, which owns the maildir; the directory is made
 * world-traversable for them. Run as another user, everything runs as that user.
 *
 * <p>A missing {@code dovecot} binary fails the test (never a skip): CI installs the packages.
 */
public final class Dovecot implements AutoCloseable {
  public static final String USER = "alice";
  public static final String PASSWORD = "dovecot-interop-secret";
  static final String INSTALL_HINT =
      "install the Debian packages dovecot-imapd and dovecot-pop3d "
          + "(DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd dovecot-pop3d)";
  private static final long STARTUP_TIMEOUT_MS = 20_000;
  private static final long STOP_TIMEOUT_MS = 10_000;

  /** The TLS versions the server accepts. */
  public enum Tls {
    /** Dovecot 2.3.19 defaults: {@code ssl_min_protocol = TLSv1.2}, OpenSSL's maximum (TLS 1.3). */
    MODERN,
    /**
     * TLS 1.1 only. Dovecot 2.3.19 has {@code ssl_min_protocol} but no {@code ssl_max_protocol}
     * (see {@code doveconf -d}), so the maximum is capped through OpenSSL's own configuration: an
     * {@code openssl.cnf} with {@code MaxProtocol = TLSv1.1} in its {@code system_default} section,
     * handed to every Dovecot process by {@code import_environment = OPENSSL_CONF=<file>} (Dovecot's
     * master clears the environment of its children). {@code ssl_cipher_list} and the
     * CipherString lower OpenSSL 3's security level to 0, without which TLS 1.1 is refused.
     */
    TLS11_ONLY
  }

  private final Path dir;
  private final Process process;
  private final int imapsPort;
  private final int pop3sPort;
  private final long startupMillis;

  private Dovecot(Path dir, Process process, int imapsPort, int pop3sPort, long startupMillis) {
    this.dir = dir;
    this.process = process;
    this.imapsPort = imapsPort;
    this.pop3sPort = pop3sPort;
    this.startupMillis = startupMillis;
  }

  /**
   * Starts Dovecot under {@code dir} (created if needed) serving {@code leaf} followed by its
   * issuers except a self-signed trust anchor (for a {@code TestPki} leaf: leaf + intermediate;
   * for a self-signed certificate: itself), with {@link #USER}'s INBOX holding one message with
   * {@code subject}. Returns once IMAPS accepts connections (and, for {@link Tls#MODERN}, once a
   * TLS probe got Dovecot's real greeting, i.e. its auth process is up).
   */
  public static Dovecot start(Path dir, HeldCertificate leaf, Tls tls, String subject) throws Exception {
    Path binary = findBinary().orElseThrow(() -> new AssertionFailedError(
        "the dovecot binary is not installed (looked in PATH, /usr/sbin, /usr/local/sbin): " + INSTALL_HINT));
    Files.createDirectories(dir);
    boolean root = "root".equals(System.getProperty("user.name"));
    String internalUser = root ? "dovecot" : System.getProperty("user.name");
    String loginUser = root ? "dovenull" : System.getProperty("user.name");
    String mailUser = root ? "nobody" : System.getProperty("user.name");
    if (root) {
      for (String u : new String[] {internalUser, loginUser}) {
        if (uidOf(u).isEmpty()) {
          throw new AssertionFailedError("system user '" + u + "' is missing (Debian's dovecot-core creates it): "
              + INSTALL_HINT);
        }
      }
    }
    int mailUid = uidOf(mailUser).orElseThrow(() -> new AssertionFailedError("no uid for user " + mailUser));
    int mailGid = gidOf(mailUser).orElseThrow(() -> new AssertionFailedError("no gid for user " + mailUser));

    // The directory chain must be traversable by dovecot/dovenull/nobody (a @TempDir is 0700).
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(tmp) && !p.equals(tmp); p = p.getParent()) {
      if (Files.getOwner(p).getName().equals(System.getProperty("user.name"))) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    Path base = Files.createDirectories(dir.resolve("base"));
    Path state = Files.createDirectories(dir.resolve("state"));
    Path home = Files.createDirectories(dir.resolve("home").resolve(USER));
    Path maildir = home.resolve("Maildir");
    for (String sub : new String[] {"cur", "new", "tmp"}) {
      Files.createDirectories(maildir.resolve(sub));
    }
    String message = "From: sender@localhost\n"
        + "To: " + USER + "@localhost\n"
        + "Subject: " + subject + "\n"
        + "Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
        + "Message-ID: <" + Long.toHexString(new SecureRandom().nextLong()) + "@mailtls.test>\n"
        + "MIME-Version: 1.0\n"
        + "Content-Type: text/plain; charset=us-ascii\n"
        + "\n"
        + "pre-delivered by the MailTLS interop test\n";
    Files.writeString(maildir.resolve("new").resolve("1704067200.M1P1.mailtls-test"), message, StandardCharsets.US_ASCII);
    if (root) {
      chownTree(dir.resolve("home"), mailUser);
    }

    Path cert = dir.resolve("cert-chain.pem");
    Path key = dir.resolve("key.pem");
    Files.writeString(cert, chainPem(leaf), StandardCharsets.US_ASCII);
    Files.writeString(key, leaf.privateKeyPkcs8Pem(), StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------")); // read by the root config process
    Path users = dir.resolve("users");
    Files.writeString(users, USER + ":{PLAIN}" + PASSWORD + ":" + mailUid + ":" + mailGid + "::" + home + "\n",
        StandardCharsets.US_ASCII);

    int imaps = freePort();
    int pop3s = freePort();
    StringBuilder conf = new StringBuilder();
    conf.append("# generated by ").append(Dovecot.class.getName()).append("\n")
        .append("instance_name = mailtls-test-").append(imaps).append("\n")
        .append("base_dir = ").append(base).append("\n")
        .append("state_dir = ").append(state).append("\n")
        .append("listen = 127.0.0.1\n")
        .append("protocols = imap pop3\n")
        .append("log_path = /dev/stderr\n")
        .append("default_internal_user = ").append(internalUser).append("\n")
        .append("default_login_user = ").append(loginUser).append("\n")
        .append("first_valid_uid = 1\n")
        .append("auth_mechanisms = plain login\n")
        .append("mail_location = maildir:~/Maildir\n")
        .append("ssl = required\n")
        .append("ssl_cert = <").append(cert).append("\n")
        .append("ssl_key = <").append(key).append("\n");
    if (tls == Tls.TLS11_ONLY) {
      Path opensslConf = dir.resolve("openssl-tls11.cnf");
      Files.writeString(opensslConf, String.join("\n",
          "openssl_conf = openssl_init",
          "[openssl_init]",
          "ssl_conf = ssl_sect",
          "[ssl_sect]",
          "system_default = system_default_sect",
          "[system_default_sect]",
          "MinProtocol = TLSv1.1",
          "MaxProtocol = TLSv1.1",
          "CipherString = DEFAULT:@SECLEVEL=0",
          ""), StandardCharsets.US_ASCII);
      conf.append("ssl_min_protocol = TLSv1.1\n")
          .append("ssl_cipher_list = DEFAULT:@SECLEVEL=0\n")
          .append("import_environment = TZ OPENSSL_CONF=").append(opensslConf).append("\n");
    }
    conf.append("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ").append(users).append("\n}\n")
        .append("userdb {\n  driver = passwd-file\n  args = username_format=%u ").append(users).append("\n}\n")
        .append("service imap-login {\n")
        .append("  inet_listener imap {\n    port = 0\n  }\n")
        .append("  inet_listener imaps {\n    port = ").append(imaps).append("\n    ssl = yes\n  }\n")
        .append("}\n")
        .append("service pop3-login {\n")
        .append("  inet_listener pop3 {\n    port = 0\n  }\n")
        .append("  inet_listener pop3s {\n    port = ").append(pop3s).append("\n    ssl = yes\n  }\n")
        .append("}\n");
    Path confFile = dir.resolve("dovecot.conf");
    Files.writeString(confFile, conf, StandardCharsets.US_ASCII);

    Path log = dir.resolve("dovecot.log");
    Files.createFile(log);
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-F", "-c", confFile.toString())
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long t0 = System.nanoTime();
    Process process = pb.start();
    Dovecot d = new Dovecot(dir, process, imaps, pop3s, 0);
    try {
      long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
      d.awaitPort(imaps, deadline);
      d.awaitPort(pop3s, deadline);
      if (tls == Tls.MODERN) {
        d.awaitGreeting(deadline);
      }
    } catch (Exception | Error e) {
      d.close();
      throw e;
    }
    return new Dovecot(dir, process, imaps, pop3s, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  public int imapsPort() {
    return imapsPort;
  }

  public int pop3sPort() {
    return pop3sPort;
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
    return "Dovecot[imaps=" + imapsPort + ", pop3s=" + pop3sPort + ", dir=" + dir + "]";
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
      try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", imapsPort)) {
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

  private static Optional<Path> findBinary() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(":")) {
        if (!d.isEmpty()) {
          candidates.add(Path.of(d, "dovecot"));
        }
      }
    }
    candidates.add(Path.of("/usr/sbin/dovecot"));
    candidates.add(Path.of("/usr/local/sbin/dovecot"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** Leaf, then its issuers, without a final self-signed certificate unless it is the leaf itself. */
  static String chainPem(HeldCertificate leaf) throws CertificateEncodingException {
    List<X509Certificate> chain = leaf.chain();
    int n = chain.size();
    if (n > 1) {
      X509Certificate last = chain.get(n - 1);
      if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
        n--;
      }
    }
    StringBuilder sb = new StringBuilder(leaf.certificatePem());
    if (!sb.toString().endsWith("\n")) {
      sb.append('\n');
    }
    Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    for (int i = 1; i < n; i++) {
      sb.append("-----BEGIN CERTIFICATE-----\n")
          .append(b64.encodeToString(chain.get(i).getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return sb.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static Optional<Integer> uidOf(String user) throws IOException {
    return passwdField(user, 2);
  }

  private static Optional<Integer> gidOf(String user) throws IOException {
    return passwdField(user, 3);
  }

  private static Optional<Integer> passwdField(String user, int index) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
      return lines.map(l -> l.split(":", -1))
          .filter(f -> f.length > index && f[0].equals(user))
          .map(f -> Integer.parseInt(f[index]))
          .findFirst();
    }
  }

  private static void chownTree(Path root, String user) throws IOException {
    UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal owner = lookup.lookupPrincipalByName(user);
    int gid = gidOf(user).orElseThrow();
    GroupPrincipal group = lookup.lookupPrincipalByGroupName(groupName(gid));
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(owner);
        view.setGroup(group);
      }
    }
  }

  private static String groupName(int gid) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/etc/group"))) {
      return lines.map(l -> l.split(":", -1))
          .filter(f -> f.length > 2 && f[2].equals(String.valueOf(gid)))
          .map(f -> f[0])
          .findFirst()
          .orElseThrow(() -> new IOException("no group with gid " + gid));
    }
  }
}
