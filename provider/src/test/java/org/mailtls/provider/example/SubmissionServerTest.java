package org.mailtls.provider.example;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.received.ReceivedClauseParser;
import org.mailtls.policy.received.ReceivedTlsClause;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTls;
import org.mailtls.provider.MailTlsParameters;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.provider.MailTlsServerParameters;
import org.mailtls.provider.server.CleartextAuthGate;
import org.mailtls.provider.server.CleartextAuthPolicy;
import org.mailtls.provider.server.PasswordVerifier;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/**
 * {@link SubmissionServer}, the README's example for server authors, end to end over loopback on
 * both engines: Angus Mail submits through STARTTLS (RFC 8314 §4.3 Received clause and §4 cipher
 * log), a STARTTLS command injection is discarded (VU#555316, STL-03), cleartext AUTH is refused
 * without consulting the password database and without revealing the password's validity
 * (R8314-S-13, STL-09), and OpenSSL's {@code s_client -starttls smtp} verifies the server.
 */
@Timeout(120)
class SubmissionServerTest {
  private static final TestPki PKI = TestPki.create();
  /** 90 days, as a real server certificate: the default one-day leaf would earn a start-up expiry warning. */
  private static final HeldCertificate LOCALHOST =
      PKI.leaf().addDnsName("localhost").validFor(Duration.ofDays(90)).build();
  private static final char[] KEY_PASSWORD = "changeit".toCharArray();
  private static final Map<String, String> PASSWORDS = Map.of("alice", "s3cret");
  private static final int TIMEOUT_MS = 10_000;
  private static final List<String> LOGGERS =
      List.of("org.mailtls.handshake", "org.mailtls.auth", "org.mailtls.provider.server");

  private final List<Logger> loggers = new ArrayList<>(); // strong references: JUL loggers are weakly held
  private final List<Level> previousLevels = new ArrayList<>();
  private final List<Boolean> previousUseParent = new ArrayList<>();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final AtomicInteger verifierCalls = new AtomicInteger();
  /** The password database: a map, and a counter of how often it was asked. */
  private final PasswordVerifier verifier = (user, password) -> {
    verifierCalls.incrementAndGet();
    return password.toString().equals(PASSWORDS.get(user));
  };
  private SubmissionServer server;

  @BeforeEach
  void captureCipherLog() {
    for (String name : LOGGERS) {
      Logger l = Logger.getLogger(name);
      loggers.add(l);
      previousLevels.add(l.getLevel());
      previousUseParent.add(l.getUseParentHandlers());
      l.setLevel(Level.ALL);
      l.setUseParentHandlers(false); // captured here, not printed on the console
      l.addHandler(capture);
    }
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      for (int i = 0; i < loggers.size(); i++) {
        loggers.get(i).removeHandler(capture);
        loggers.get(i).setLevel(previousLevels.get(i));
        loggers.get(i).setUseParentHandlers(previousUseParent.get(i));
      }
    }
  }

  /** The server's context: README's server wiring, one name ("localhost"), keys in memory. */
  static SSLContext serverContext(JsseEngine engine) throws Exception {
    MailTlsProvider provider = new MailTlsProvider(engine);
    KeyStore keys = TestPki.keyStore(LOCALHOST, KEY_PASSWORD);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("MailTLS", provider);
    kmf.init(MailTlsServerParameters.builder(keys, KEY_PASSWORD)
        .serverName("localhost", TestPki.LEAF_ALIAS).trustAnchors(PKI.trustStore()).build());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(MailTlsParameters.builder().trustStore(PKI.trustStore()).build());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A MailTLS client context trusting the test root. */
  static SSLContext clientContext(JsseEngine engine) throws Exception {
    MailTlsProvider provider = new MailTlsProvider(engine);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(PKI.trustStore());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  // ---------------------------------------------------------------------------------------------
  // a) Angus Mail over STARTTLS

  /**
   * Angus Mail 2.0.5 submits through STARTTLS with a MailTLS socket factory. Verified in the byte code
   * of {@code SMTPTransport.startTLS()} and {@code SocketFetcher.startTLS(Socket, String, Properties,
   * String)}: STARTTLS layers TLS over the plain socket with the factory from {@code
   * mail.smtp.ssl.socketFactory} (an object, {@code Properties.get}), else {@code
   * .ssl.socketFactory.class}, else {@code mail.smtp.socketFactory} when it is an SSLSocketFactory,
   * else {@code .socketFactory.class}, else {@code .ssl.trust} (MailSSLSocketFactory), else the JVM
   * default; the host given is {@code mail.smtp.host}. {@code startTLS} has no fallback; {@code
   * mail.smtp.socketFactory.fallback=false} is set anyway, for the plain connect.
   */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void angusMail_submitsOverStartTls_receivedClauseAndCipherLogAgree(JsseEngine engine) throws Exception {
    server = new SubmissionServer(serverContext(engine), verifier);
    Properties props = new Properties();
    props.put("mail.smtp.host", "localhost"); // the certificate's dNSName, and MailTLS's reference identity
    props.put("mail.smtp.port", Integer.toString(server.port()));
    props.put("mail.smtp.localhost", "client.example.org"); // the EHLO argument
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.auth", "true");
    props.put("mail.smtp.ssl.socketFactory", clientContext(engine).getSocketFactory()); // an object: put
    props.put("mail.smtp.socketFactory.fallback", "false");
    props.put("mail.smtp.connectiontimeout", Integer.toString(TIMEOUT_MS));
    props.put("mail.smtp.timeout", Integer.toString(TIMEOUT_MS));
    Session session = Session.getInstance(props);
    String subject = "submitted over " + engine + " " + UUID.randomUUID();
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("alice@localhost"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@example.org"));
    message.setSubject(subject);
    message.setText("hello over STARTTLS\n.a line starting with a dot\n");

    Transport.send(message, "alice", "s3cret");

    assertEquals(List.of(List.of("EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT")),
        server.executed, "Angus's dialogue");
    assertEquals(List.of(), server.failures);
    assertEquals(1, verifierCalls.get());
    assertEquals(1, server.messages.size());
    SubmissionServer.StoredMessage stored = server.messages.get(0);
    assertEquals("alice@localhost", stored.from());
    assertEquals(List.of("bob@example.org"), stored.recipients());
    assertTrue(stored.text().contains("Subject: " + subject + "\r\n"), stored.text());
    assertTrue(stored.text().contains("\r\n.a line starting with a dot\r\n"), "dot-stuffing undone: " + stored.text());

    // The Received field reads back to the session's suite and group.
    String received = firstField(stored.text());
    assertTrue(received.startsWith("Received: from client.example.org ([127.0.0.1])"), received);
    assertTrue(received.contains("with ESMTPSA"), received);
    SSLSession tls = stored.tls();
    ReceivedTlsClause parsed = ReceivedClauseParser.parse(received)
        .orElseThrow(() -> new AssertionError("no tls clause in " + received));
    ReceivedTlsClause expected = ReceivedTlsClause.forJsseSuite(tls.getCipherSuite());
    Optional<String> group = MailTls.negotiatedGroup(tls);
    assertTrue(group.isPresent(), "MailTLS sees the group on a socket layered by STARTTLS too");
    assertEquals(expected.withGroup(group.get()), parsed, received);
    assertEquals(tls.getCipherSuite(), parsed.suite(), "TLS 1.2/1.3 AEAD suites: JSSE and IANA names agree");

    // The cipher log: the server's handshake and the authentication, same connection id.
    String auth = only(messages("org.mailtls.auth"), "authentication records");
    String conn = field(auth, "conn");
    assertTrue(conn.matches("\\d+"), auth);
    assertEquals("alice", field(auth, "user"), auth);
    assertEquals("ok", field(auth, "result"), auth);
    assertEquals("LOGIN", field(auth, "mechanism"), "Angus prefers LOGIN when both are offered: " + auth);
    assertEquals(tls.getProtocol() + " " + tls.getCipherSuite(), field(auth, "tls"), auth);
    String handshake = only(messages("org.mailtls.handshake").stream()
        .filter(m -> m.contains(" role=server ") && ("conn=" + conn).equals(m.split(" ")[2])).toList(),
        "server handshake records with conn=" + conn + " in " + messages("org.mailtls.handshake"));
    assertEquals("ok", field(handshake, "result"), handshake);
    assertEquals(parsed.suite(), field(handshake, "suite"), "Received and cipher log agree: " + handshake);
    assertEquals(parsed.group().orElse(null), fieldOrNull(handshake, "group"), handshake);
    assertEquals(field(auth, "peer"), field(handshake, "peer"), handshake);
  }

  // ---------------------------------------------------------------------------------------------
  // b) STARTTLS command injection

  /** VU#555316 / CVE-2011-0411: a NOOP pipelined behind STARTTLS in the same write is never executed. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void startTlsInjection_pipelinedNoopIsDiscardedThenTlsWorks(JsseEngine engine) throws Exception {
    server = new SubmissionServer(serverContext(engine), verifier);
    try (Socket plain = connect()) {
      send(plain, "EHLO x\r\n");
      assertEquals(List.of("250-localhost", "250 STARTTLS"), readReply(plain), "cleartext: STARTTLS, no AUTH");
      send(plain, "STARTTLS\r\nNOOP\r\n"); // one write, one segment

      assertEquals("220 2.0.0 Ready to start TLS", readLine(plain));
      SSLSocket tls = (SSLSocket) clientContext(engine).getSocketFactory()
          .createSocket(plain, "localhost", server.port(), true);
      tls.startHandshake();
      send(tls, "EHLO y\r\n");
      assertEquals(List.of("250-localhost", "250 AUTH PLAIN LOGIN"), readReply(tls),
          "the first answer over TLS is EHLO's, not the injected NOOP's; after TLS no STARTTLS");
      send(tls, "QUIT\r\n");
      assertEquals("221 2.0.0 Bye", readLine(tls));
    }

    assertEquals(List.of(List.of("EHLO", "STARTTLS", "EHLO", "QUIT")), server.executed, "NOOP never executed");
    LogRecord warning = records.stream()
        .filter(r -> r.getLoggerName().equals("org.mailtls.provider.server") && r.getMessage().contains("discarded"))
        .findFirst().orElseThrow(() -> new AssertionError("no discard warning"));
    assertEquals(Level.WARNING, warning.getLevel());
    String text = new SimpleFormatter().formatMessage(warning);
    Matcher discarded = Pattern.compile("discarded (\\d+) bytes").matcher(text);
    assertTrue(discarded.find() && Long.parseLong(discarded.group(1)) >= "NOOP\r\n".length(), text);
    assertEquals(List.of(), server.failures);
  }

  // ---------------------------------------------------------------------------------------------
  // c) AUTH over cleartext

  /** R8314-S-13: over cleartext, right and wrong passwords get the same bytes; the verifier is never asked. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void cleartextAuth_sameBytesForRightAndWrongPassword_verifierNeverCalled(JsseEngine engine) throws Exception {
    server = new SubmissionServer(serverContext(engine), verifier);
    byte[] refusal = new CleartextAuthGate(CleartextAuthPolicy.disabledForEveryone()).refusal().smtp();
    try (Socket plain = connect()) {
      send(plain, "EHLO x\r\n");
      List<String> ehlo = readReply(plain);
      assertTrue(ehlo.stream().noneMatch(l -> l.substring(4).startsWith("AUTH")), "no AUTH before TLS: " + ehlo);

      send(plain, "AUTH PLAIN " + base64("\0alice\0s3cret") + "\r\n");
      byte[] right = readLineBytes(plain);
      send(plain, "AUTH PLAIN " + base64("\0alice\0wrong") + "\r\n");
      byte[] wrong = readLineBytes(plain);
      send(plain, "AUTH LOGIN " + base64("alice") + "\r\n");
      assertEquals("334 UGFzc3dvcmQ6", readLine(plain));
      send(plain, base64("s3cret") + "\r\n");
      byte[] rightLogin = readLineBytes(plain);
      send(plain, "MAIL FROM:<alice@localhost>\r\n");
      String mail = readLine(plain);
      send(plain, "QUIT\r\n");
      assertEquals("221 2.0.0 Bye", readLine(plain));

      assertArrayEquals(refusal, right, () -> new String(right, US_ASCII));
      assertArrayEquals(right, wrong, "right and wrong password: byte-identical");
      assertArrayEquals(right, rightLogin, "AUTH LOGIN too");
      assertTrue(new String(right, US_ASCII).startsWith("538 5.7.11 "), new String(right, US_ASCII));
      assertEquals("530 5.7.0 Authentication required", mail, "no submission without authentication");
    }
    assertEquals(0, verifierCalls.get(), "the password database was never asked");
    assertEquals(List.of(List.of("EHLO", "AUTH", "AUTH", "AUTH", "MAIL", "QUIT")), server.executed);
    assertEquals(List.of(), server.failures);
    List<String> auths = messages("org.mailtls.auth");
    assertEquals(3, auths.size(), auths.toString());
    for (String a : auths) {
      assertEquals("-", field(a, "conn"), a);
      assertEquals("none", field(a, "tls"), a);
      assertEquals("failed", field(a, "result"), a);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // d) OpenSSL s_client -starttls smtp

  /** An independent client: OpenSSL 3's STARTTLS for SMTP verifies the chain and the server logs the handshake. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void opensslStartTls_verifiesAndIsLogged(JsseEngine engine, @TempDir Path dir) throws Exception {
    server = new SubmissionServer(serverContext(engine), verifier);
    Path root = Files.writeString(dir.resolve("root.pem"), PKI.root().certificatePem(), US_ASCII);
    Path output = dir.resolve("openssl.out");
    List<String> command = List.of("openssl", "s_client", "-starttls", "smtp", "-connect",
        "127.0.0.1:" + server.port(), "-servername", "localhost", "-CAfile", root.toString(),
        "-verify_return_error", "-brief", "-ign_eof"); // -ign_eof: read until the server closes after QUIT
    Process openssl;
    try {
      openssl = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    } catch (IOException e) {
      fail("this test needs the openssl command (OpenSSL 3) on PATH; CI installs it (apt-get install openssl): "
          + e.getMessage(), e);
      return;
    }
    String out;
    try {
      try (OutputStream stdin = openssl.getOutputStream()) {
        stdin.write("EHLO x\r\nQUIT\r\n".getBytes(US_ASCII)); // read by s_client after the handshake
      }
      boolean exited = openssl.waitFor(30, TimeUnit.SECONDS);
      out = Files.readString(output, UTF_8);
      assertTrue(exited, "openssl s_client did not finish within 30 s; output so far:\n" + out);
    } finally {
      openssl.destroyForcibly();
      openssl.waitFor(10, TimeUnit.SECONDS);
    }

    assertEquals(0, openssl.exitValue(), out);
    assertTrue(out.contains("Verification: OK"), out);
    String handshake = only(
        messages("org.mailtls.handshake").stream().filter(m -> m.contains(" role=server ")).toList(),
        "server handshake records");
    assertEquals("ok", field(handshake, "result"), handshake);
    assertTrue(out.contains("Protocol version: " + field(handshake, "version")), out + "\n" + handshake);
    assertTrue(out.contains("Ciphersuite: " + field(handshake, "suite")), out + "\n" + handshake);
    String group = field(handshake, "group"); // OpenSSL's spelling of the group in "Server Temp Key: ..."
    String opensslGroup = Map.of("x25519", "X25519", "x448", "X448", "secp256r1", "ECDH, prime256v1",
        "secp384r1", "ECDH, secp384r1", "secp521r1", "ECDH, secp521r1").getOrDefault(group, group);
    assertTrue(out.contains("Server Temp Key: " + opensslGroup + ","), out + "\n" + handshake);
    assertTrue(out.contains("250-localhost\r\n250 AUTH PLAIN LOGIN\r\n221 2.0.0 Bye\r\n"),
        "EHLO and QUIT answered over TLS: " + out);
    assertEquals(List.of(List.of("EHLO", "STARTTLS", "EHLO", "QUIT")), server.executed);
    assertEquals(List.of(), server.failures);
  }

  // ---------------------------------------------------------------------------------------------

  private List<String> messages(String logger) {
    return records.stream().filter(r -> r.getLoggerName().equals(logger)).map(LogRecord::getMessage).toList();
  }

  private static String only(List<String> list, String what) {
    assertEquals(1, list.size(), () -> "expected one of " + what + ": " + list);
    return list.get(0);
  }

  private static final Pattern FIELD = Pattern.compile(" ([a-zA-Z]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

  /** A {@code key=value} field of a cipher-log record, unquoted. */
  private static String field(String record, String key) {
    String v = fieldOrNull(record, key);
    if (v == null) {
      throw new AssertionError("no " + key + "= in " + record);
    }
    return v;
  }

  private static String fieldOrNull(String record, String key) {
    Matcher m = FIELD.matcher(record);
    while (m.find()) {
      if (m.group(1).equals(key)) {
        String v = m.group(2);
        return v.startsWith("\"") ? v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1") : v;
      }
    }
    return null;
  }

  /** The first header field of a message, folding kept: up to the first CRLF not followed by white space. */
  private static String firstField(String text) {
    Matcher m = Pattern.compile("\\A(.*?)\r\n(?![ \t])", Pattern.DOTALL).matcher(text);
    assertTrue(m.find(), text);
    return m.group(1);
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), server.port());
    s.setSoTimeout(TIMEOUT_MS);
    s.setTcpNoDelay(true);
    String greeting = readLine(s);
    assertTrue(greeting.startsWith("220 "), greeting);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(US_ASCII)); // one write call: one segment on loopback with TCP_NODELAY
    out.flush();
  }

  /** A multi-line reply ({@code 250-...}, ..., {@code 250 ...}). */
  private static List<String> readReply(Socket s) throws IOException {
    List<String> lines = new ArrayList<>();
    String line;
    do {
      line = readLine(s);
      lines.add(line);
    } while (line.length() > 3 && line.charAt(3) == '-');
    return lines;
  }

  private static String readLine(Socket s) throws IOException {
    byte[] b = readLineBytes(s);
    return new String(b, 0, b.length - 2, US_ASCII);
  }

  /** One line with its CRLF, read byte by byte so that nothing after it (a ServerHello) is consumed. */
  private static byte[] readLineBytes(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed after \"" + line.toString(US_ASCII) + "\"");
      }
      line.write(b);
      if (prev == '\r' && b == '\n') {
        return line.toByteArray();
      }
      prev = b;
    }
  }
}
