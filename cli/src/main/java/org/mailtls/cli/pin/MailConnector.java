package org.mailtls.cli.pin;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.identity.MailService;
import org.mailtls.policy.pin.PinStore;
import org.mailtls.provider.MailTlsParameters;
import org.mailtls.provider.MailTlsProvider;

/**
 * The client side of a mail connection as {@code mailtls} makes it: a plain TCP socket, the
 * STARTTLS dialogue for the STARTTLS services, then a MailTLS socket layered over the plain one
 * ({@code createSocket(plain, host, port, true)}), so that MailTLS sees the handshake bytes and can
 * tell the negotiated group, and checks the server against {@code host}, never against the address
 * actually dialled.
 *
 * <p>The dialogue reads the server's replies one byte at a time, so no byte after the go-ahead can
 * be swallowed by a buffer before TLS starts.
 */
public final class MailConnector {
  private static final int MAX_LINE = 8192;

  private MailConnector() {}

  /**
   * A MailTLS client context for {@code account} over BCJSSE.
   *
   * @param trustStore the trust anchors, or null for the JDK's default trust store
   * @param pins the pin store whose pins the account may use, or null for none
   */
  public static SSLContext clientContext(AccountPolicy account, @Nullable KeyStore trustStore, @Nullable PinStore pins)
      throws GeneralSecurityException {
    MailTlsProvider provider = new MailTlsProvider();
    MailTlsParameters.Builder p = MailTlsParameters.builder().account(account);
    if (trustStore != null) {
      p.trustStore(trustStore);
    }
    if (pins != null) {
      p.pinStore(pins);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(MailTlsProvider.ALGORITHM, provider);
    tmf.init(p.build());
    SSLContext ctx = SSLContext.getInstance(MailTlsProvider.ALGORITHM, provider);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * Connects to {@code address}:{@code port}, runs the STARTTLS dialogue if {@code service} needs
   * it, and completes a MailTLS handshake that checks the server as {@code host}.
   *
   * @throws IOException when the connection, the dialogue or the handshake fails; a MailTLS refusal
   *     is inside it ({@code MailTls.decisionOf(exception)})
   */
  public static SSLSocket connect(SSLContext ctx, String host, String address, int port, MailService service,
      int timeoutMillis, String... protocols) throws IOException {
    Socket plain = openPlain(address, port, timeoutMillis);
    try {
      startTls(plain, service);
      return layer(ctx, plain, host, port, protocols);
    } catch (IOException | RuntimeException e) {
      closeQuietly(plain, e);
      throw e;
    }
  }

  /** A plain TCP connection with connect and read timeouts. */
  public static Socket openPlain(String address, int port, int timeoutMillis) throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(address, port), timeoutMillis);
      plain.setSoTimeout(timeoutMillis);
      return plain;
    } catch (IOException | RuntimeException e) {
      closeQuietly(plain, e);
      throw e;
    }
  }

  /**
   * The STARTTLS dialogue of {@code service} on a fresh plain connection, up to the server's
   * go-ahead: IMAP {@code a STARTTLS}, POP3 {@code STLS}, SMTP {@code EHLO x} then {@code STARTTLS},
   * ManageSieve {@code STARTTLS}. Nothing for an implicit-TLS service.
   *
   * @throws ProtocolException when the server refuses or answers something unexpected
   */
  public static void startTls(Socket plain, MailService service) throws IOException {
    InputStream in = plain.getInputStream();
    OutputStream out = plain.getOutputStream();
    switch (service) {
      case IMAP -> {
        expect(readLine(in), "* OK", "IMAP greeting");
        send(out, "a STARTTLS");
        String line;
        while ((line = readLine(in)).startsWith("* ")) {
          // untagged data (a CAPABILITY a server may volunteer) before the tagged answer
        }
        expect(line, "a OK", "answer to a STARTTLS");
      }
      case POP3 -> {
        expect(readLine(in), "+OK", "POP3 greeting");
        send(out, "STLS");
        expect(readLine(in), "+OK", "answer to STLS");
      }
      case SUBMISSION -> {
        expect(smtpReply(in), "220", "SMTP greeting");
        send(out, "EHLO x");
        expect(smtpReply(in), "250", "answer to EHLO");
        send(out, "STARTTLS");
        expect(smtpReply(in), "220", "answer to STARTTLS");
      }
      case SIEVE -> {
        expect(sieveReply(in), "OK", "ManageSieve greeting");
        send(out, "STARTTLS");
        expect(sieveReply(in), "OK", "answer to STARTTLS");
      }
      default -> {
        // implicit TLS: nothing is said in cleartext
      }
    }
  }

  /**
   * Layers a MailTLS client socket over {@code plain} (closed with it) and completes the handshake.
   *
   * @param protocols the protocols to offer, a subset of MailTLS's; none given: MailTLS's own (TLS 1.3, 1.2)
   */
  public static SSLSocket layer(SSLContext ctx, Socket plain, String host, int port, String... protocols)
      throws IOException {
    SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
    try {
      if (protocols.length > 0) {
        tls.setEnabledProtocols(protocols);
      }
      tls.startHandshake();
      return tls;
    } catch (IOException | RuntimeException e) {
      closeQuietly(tls, e);
      throw e;
    }
  }

  /** The last line of an SMTP reply (continuation lines are {@code 250-...}). */
  private static String smtpReply(InputStream in) throws IOException {
    String line = readLine(in);
    while (line.length() > 3 && line.charAt(3) == '-') {
      line = readLine(in);
    }
    return line;
  }

  /** The status line ending a ManageSieve response (OK, NO or BYE after capability lines). */
  private static String sieveReply(InputStream in) throws IOException {
    String line = readLine(in);
    while (!(line.startsWith("OK") || line.startsWith("NO") || line.startsWith("BYE"))) {
      line = readLine(in);
    }
    return line;
  }

  private static void expect(String line, String prefix, String what) throws ProtocolException {
    if (!line.startsWith(prefix)) {
      throw new ProtocolException("the server did not offer TLS: " + what + " was \"" + line + "\", expected \""
          + prefix + " ...\"");
    }
  }

  private static void send(OutputStream out, String command) throws IOException {
    out.write((command + "\r\n").getBytes(US_ASCII));
    out.flush();
  }

  /** One line without its line end, read byte by byte (nothing beyond it is consumed). */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server closed the connection" + (line.size() > 0 ? " in the middle of a line" : ""));
      }
      if (b == '\n') {
        String s = line.toString(US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      if (line.size() >= MAX_LINE) {
        throw new ProtocolException("the server sent a line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
  }

  private static void closeQuietly(Socket s, Exception failure) {
    try {
      s.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
