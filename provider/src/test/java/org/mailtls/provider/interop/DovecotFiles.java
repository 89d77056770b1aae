package org.mailtls.provider.interop;

import java.io.IOException;
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
import java.util.stream.Stream;
import org.mailtls.testing.HeldCertificate;
import org.opentest4j.AssertionFailedError;

/**
 * The files and system users behind a private {@link Dovecot}: the binary, the accounts Dovecot's
 * processes run as, the maildir with its pre-delivered message, and the PEM files.
 *
 * <p>Run as root (CI), Dovecot's unprivileged processes use the users Debian's package creates
 * ({@code default_internal_user = dovecot}, {@code default_login_user = dovenull}) and the mail
 * user's processes run as {@code nobody}, which owns the maildir; the directory chain is made
 * world-traversable for them. Run as another user, everything runs as that user.
 */
final class DovecotFiles {
  static final String INSTALL_HINT =
      "install the Debian packages dovecot-imapd and dovecot-pop3d "
          + "(DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd dovecot-pop3d)";

  /** The unix users Dovecot runs as, and the uid/gid its mail processes use. */
  record Users(String internal, String login, String mail, int mailUid, int mailGid) {}

  private DovecotFiles() {}

  /** The dovecot binary (PATH, /usr/sbin, /usr/local/sbin); a missing one fails the test, naming the package. */
  static Path binary() {
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
    return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionFailedError(
        "the dovecot binary is not installed (looked in PATH, /usr/sbin, /usr/local/sbin): " + INSTALL_HINT));
  }

  static Users users() throws IOException {
    String me = System.getProperty("user.name");
    boolean root = "root".equals(me);
    String internal = root ? "dovecot" : me;
    String login = root ? "dovenull" : me;
    String mail = root ? "nobody" : me;
    if (root) {
      for (String u : new String[] {internal, login}) {
        if (passwdField(u, 2).isEmpty()) {
          throw new AssertionFailedError("system user '" + u + "' is missing (Debian's dovecot-core creates it): "
              + INSTALL_HINT);
        }
      }
    }
    int uid = passwdField(mail, 2).orElseThrow(() -> new AssertionFailedError("no uid for user " + mail));
    int gid = passwdField(mail, 3).orElseThrow(() -> new AssertionFailedError("no gid for user " + mail));
    return new Users(internal, login, mail, uid, gid);
  }

  /** Makes {@code dir} and its parents up to java.io.tmpdir traversable (a {@code @TempDir} is 0700). */
  static void openUp(Path dir) throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(tmp) && !p.equals(tmp); p = p.getParent()) {
      if (Files.getOwner(p).getName().equals(System.getProperty("user.name"))) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  /** {@code home/Maildir} with one message with {@code subject} in INBOX, owned by the mail user. */
  static void maildir(Path home, String user, String subject, Users users) throws IOException {
    Path maildir = home.resolve("Maildir");
    for (String sub : new String[] {"cur", "new", "tmp"}) {
      Files.createDirectories(maildir.resolve(sub));
    }
    String message = "From: sender@localhost\n"
        + "To: " + user + "@localhost\n"
        + "Subject: " + subject + "\n"
        + "Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
        + "Message-ID: <" + Long.toHexString(new SecureRandom().nextLong()) + "@mailtls.test>\n"
        + "MIME-Version: 1.0\n"
        + "Content-Type: text/plain; charset=us-ascii\n"
        + "\n"
        + "pre-delivered by the MailTLS interop test\n";
    Files.writeString(maildir.resolve("new").resolve("1704067200.M1P1.mailtls-test"), message,
        StandardCharsets.US_ASCII);
    if ("root".equals(System.getProperty("user.name"))) {
      chownTree(home, users.mail(), users.mailGid());
    }
  }

  /** Writes {@code pem} to {@code file}, readable by its owner only when {@code secret}. */
  static Path write(Path file, String pem, boolean secret) throws IOException {
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
    if (secret) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")); // read by the root config process
    }
    return file;
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
    return pem(chain.subList(0, n));
  }

  /** PEM text of {@code certs}, in order. */
  static String pem(List<X509Certificate> certs) throws CertificateEncodingException {
    StringBuilder sb = new StringBuilder();
    Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    for (X509Certificate c : certs) {
      sb.append("-----BEGIN CERTIFICATE-----\n")
          .append(b64.encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return sb.toString();
  }

  private static Optional<Integer> passwdField(String user, int index) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
      return lines.map(l -> l.split(":", -1))
          .filter(f -> f.length > index && f[0].equals(user))
          .map(f -> Integer.parseInt(f[index]))
          .findFirst();
    }
  }

  private static void chownTree(Path root, String user, int gid) throws IOException {
    UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal owner = lookup.lookupPrincipalByName(user);
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
