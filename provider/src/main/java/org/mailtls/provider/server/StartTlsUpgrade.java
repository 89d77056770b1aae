package org.mailtls.provider.server;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The server side of STARTTLS (IMAP, SMTP, ManageSieve) and STLS (POP3), done so that no cleartext
 * byte can cross into the TLS session.
 *
 * <pre>{@code
 * StartTlsUpgrade startTls = StartTlsUpgrade.using(serverContext);   // once, at start-up
 * ...
 * } else if (command.equals("STARTTLS")) {
 *   try {
 *     UpgradedConnection c = startTls.upgrade(state, socket, reader, tag + " OK Begin TLS negotiation now");
 *     socket = c.socket(); reader = c.reader(); state = c.state(); out = socket.getOutputStream();
 *     forgetEverythingLearntInCleartext();
 *   } catch (StartTlsRefusedException e) {
 *     reply(tag + " BAD STARTTLS not permitted now");                // nothing changed
 *   }
 * }
 * }</pre>
 *
 * <p>What {@link #upgrade} does, in this order, and why:
 *
 * <ol>
 *   <li>Refuses ({@link StartTlsRefusedException}, nothing touched) when a client is logged in or TLS
 *       is already on (STL-08, against session fixation; RFC 3501 §6.2.1, RFC 3207 §4.2).
 *   <li>Retires the cleartext {@link LineReader} and throws away every byte the client sent after the
 *       STARTTLS line that the server can see without blocking: the reader's buffer and the socket's
 *       {@code available()} bytes. These are the commands of a STARTTLS command injection (CERT
 *       VU#555316, CVE-2011-0411; STL-03): a legitimate client sends nothing before the go-ahead
 *       (STL-01). This happens <em>before</em> the go-ahead, because afterwards the next bytes are
 *       the client's ClientHello. Bytes arriving later than this step are fed to the TLS engine, which
 *       fails the handshake on them: they can never become commands. The count is in {@link
 *       UpgradedConnection#discardedBytes()} and logged as a warning on the {@code
 *       org.mailtls.provider.server} logger; {@link #closingOnInjectedBytes()} closes the connection
 *       instead (STL-12 (b)), and more than {@value #MAX_DISCARDED_BYTES} bytes always close it.
 *   <li>Writes the go-ahead line (the caller's text plus CRLF) straight to the socket. Flush any
 *       writer of your own before calling.
 *   <li>Layers a server-mode TLS socket over the plain one with {@code
 *       getSocketFactory().createSocket(plain, null, true)} (no consumed bytes: nothing cleartext is
 *       handed to TLS) and runs the handshake; the plain socket's read timeout bounds it. On any
 *       failure the connection is closed.
 * </ol>
 *
 * <p>Only a MailTLS context with a server key is accepted (the same rule as {@link
 * StartTlsAdvertisement}, R8314-S-04), so the TLS floors of the implicit-TLS port apply to the
 * STARTTLS port too. Immutable and thread-safe; share one per server.
 */
public final class StartTlsUpgrade {
  /** More cleartext than this after STARTTLS is treated as a flood: the connection is closed. */
  public static final long MAX_DISCARDED_BYTES = 64 * 1024;

  private static final System.Logger LOG = System.getLogger("org.mailtls.provider.server");

  private final SSLContext context;
  private final boolean closeOnInjection;

  private StartTlsUpgrade(SSLContext context, boolean closeOnInjection) {
    this.context = context;
    this.closeOnInjection = closeOnInjection;
  }

  /**
   * An upgrade over {@code serverContext}, discarding injected bytes.
   *
   * @throws IllegalArgumentException unless it is a MailTLS context with a server key
   */
  public static StartTlsUpgrade using(SSLContext serverContext) {
    if (!StartTlsAdvertisement.mayAdvertise(serverContext)) {
      throw new IllegalArgumentException("STARTTLS needs an initialised MailTLS SSLContext with a server key"
          + " (KeyManagerFactory.getInstance(\"MailTLS\")); this one cannot serve TLS: " + serverContext.getProvider());
    }
    return new StartTlsUpgrade(serverContext, false);
  }

  /** The same upgrade, but bytes after the STARTTLS line close the connection instead of being discarded. */
  public StartTlsUpgrade closingOnInjectedBytes() {
    return new StartTlsUpgrade(context, true);
  }

  /** Whether injected bytes close the connection (otherwise they are discarded). */
  public boolean closesOnInjectedBytes() {
    return closeOnInjection;
  }

  /**
   * Upgrades {@code plain} to TLS after the client's STARTTLS / STLS command (see the class comment).
   *
   * @param state the session state; only {@link ServerSessionState#PLAIN_UNAUTHENTICATED} proceeds
   * @param plain the accepted cleartext socket
   * @param reader the reader the STARTTLS line was read with; it must read from {@code plain}
   * @param goAhead the positive answer without CRLF, e.g. {@code "a OK Begin TLS negotiation now"},
   *     {@code "+OK Begin TLS negotiation"} or {@code "220 2.0.0 Ready to start TLS"}
   * @throws StartTlsRefusedException when the state forbids STARTTLS; the connection is unchanged
   * @throws StartTlsInjectionException when injected bytes close the connection
   * @throws IOException when writing or the handshake fails; the connection is closed
   * @throws IllegalArgumentException when {@code reader} does not read from {@code plain}, or {@code
   *     goAhead} is not one line of printable ASCII
   */
  public UpgradedConnection upgrade(ServerSessionState state, Socket plain, LineReader reader, String goAhead)
      throws StartTlsRefusedException, IOException {
    byte[] goAheadLine = line(goAhead);
    if (state.isTls() || plain instanceof SSLSocket) {
      throw new StartTlsRefusedException(StartTlsRefusedException.Reason.TLS_ALREADY_ACTIVE,
          "STARTTLS refused: TLS is already active (RFC 3207 §4.2, RFC 2595 §4)");
    }
    if (state.isAuthenticated()) {
      throw new StartTlsRefusedException(StartTlsRefusedException.Reason.ALREADY_AUTHENTICATED,
          "STARTTLS refused: the session is authenticated (RFC 3501 §6.2.1; STL-08, session fixation)");
    }
    if (reader.socket() != plain) {
      throw new IllegalArgumentException("the reader does not read from this socket: pass the LineReader the"
          + " STARTTLS command was read with, so that its buffered bytes can be discarded");
    }
    long discarded;
    try {
      discarded = reader.discardAndRetire(MAX_DISCARDED_BYTES);
    } catch (IOException e) {
      throw closeAfter(plain, e);
    }
    if (discarded >= MAX_DISCARDED_BYTES || (closeOnInjection && discarded > 0)) {
      throw closeAfter(plain, new StartTlsInjectionException(discarded, discarded + " bytes followed STARTTLS before"
          + " the go-ahead (command injection, CVE-2011-0411; STL-03): connection closed"));
    }
    if (discarded > 0) {
      LOG.log(System.Logger.Level.WARNING, "discarded {0} bytes sent after STARTTLS by {1} (possible command"
          + " injection, CVE-2011-0411; STL-03)", discarded, plain.getRemoteSocketAddress());
    }
    try {
      OutputStream out = plain.getOutputStream();
      out.write(goAheadLine);
      out.flush();
    } catch (IOException e) {
      throw closeAfter(plain, e);
    }
    SSLSocket tls;
    try {
      tls = (SSLSocket) context.getSocketFactory().createSocket(plain, (InputStream) null, true);
    } catch (IOException e) {
      throw closeAfter(plain, e);
    } catch (RuntimeException e) {
      throw closeAfter(plain, e);
    }
    try {
      tls.startHandshake();
      return new UpgradedConnection(tls, LineReader.over(tls, reader.maxLineLength()),
          state.afterStartTls(), discarded);
    } catch (IOException e) {
      throw closeAfter(tls, e);
    } catch (RuntimeException e) {
      throw closeAfter(tls, e);
    }
  }

  private static byte[] line(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the go-ahead line is empty");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("the go-ahead must be one line of printable ASCII without CRLF;"
            + " found U+" + String.format("%04X", (int) c) + " at index " + i);
      }
    }
    return (text + "\r\n").getBytes(US_ASCII);
  }

  private static <E extends Exception> E closeAfter(Closeable c, E failure) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }
}
