package org.mailtls.provider.starttls;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.Socket;
import java.util.Objects;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The client side of STARTTLS (IMAP, SMTP, ManageSieve) and STLS (POP3), for mail code that speaks
 * the protocol itself: call it right after reading the server's go-ahead.
 *
 * <pre>{@code
 * BufferedInputStream in = new BufferedInputStream(plain.getInputStream());
 * ...                                                         // greeting, CAPABILITY, "a1 STARTTLS"
 * String answer = readLine(in);                               // "a1 OK Begin TLS negotiation now"
 * ClientUpgrade tls = ClientStartTls.upgrade(mailTls.getSocketFactory(), plain, in, host, port);
 * in = tls.input();                                           // never read the old stream again
 * capabilities = null;                                        // tls.capabilitiesInvalidated()
 * send(tls.output(), "a2 CAPABILITY");                        // ask again, over TLS (STL-02)
 * }</pre>
 *
 * <p>What {@link #upgrade} does, in this order (STL-12):
 *
 * <ol>
 *   <li>(a), (b) Takes the stream or reader the go-ahead was read with and refuses when it still
 *       holds unread data, and also when the socket itself has unread bytes: a server sends nothing
 *       after its go-ahead until the ClientHello, so such bytes were injected by somebody on the
 *       path to be read "after TLS" (STL-04, "NO STARTTLS", USENIX Security 2021). The refusal is a
 *       {@link StartTlsViolationException} naming STL-04 and the byte count; the socket is closed.
 *   <li>(c) Layers TLS with {@code factory.createSocket(plain, host, port, true)} and runs the
 *       handshake, so the certificate is checked against {@code host} exactly as for implicit TLS
 *       (STL-11). With a MailTLS factory the socket is checked for unread bytes once more there.
 *   <li>(d) Returns a {@link ClientUpgrade}: the TLS socket, a fresh stream over it, and the
 *       "capabilities invalidated" marker.
 * </ol>
 *
 * <p>On any failure the connection is closed: STARTTLS never falls back to cleartext (STL-05).
 * The check relies on {@code available()}, which {@code BufferedInputStream}, {@code
 * PushbackInputStream} and the socket's own stream implement as "bytes readable without blocking";
 * pass the outermost stream you read from (a wrapper whose {@code available()} always says 0 would
 * hide its buffer). For a {@code Reader} only {@code ready()} is known, so the count is "at least 1".
 */
public final class ClientStartTls {
  private ClientStartTls() {}

  /**
   * Upgrades {@code plain} to TLS after the go-ahead was read from {@code reader}.
   *
   * @param factory the TLS socket factory, e.g. {@code mailTlsContext.getSocketFactory()}
   * @param plain the connected cleartext socket; it is owned by the upgrade from now on
   * @param reader the stream the go-ahead was read with (it must read from {@code plain})
   * @param host the host name the user configured: the reference identity of the certificate check
   * @param port the server port
   * @throws StartTlsViolationException when unread server data was waiting (STL-04)
   * @throws IOException when layering or the handshake fails; the connection is closed
   */
  public static ClientUpgrade upgrade(SSLSocketFactory factory, Socket plain, InputStream reader, String host,
      int port) throws IOException {
    requireArguments(factory, plain, reader, host, port);
    long unread;
    try {
      // A buffered stream's available() already counts the socket's bytes: take the larger, not the sum.
      unread = Math.max(reader.available(), plain.getInputStream().available());
    } catch (IOException e) {
      throw closeAfter(plain, e);
    } catch (RuntimeException e) {
      throw closeAfter(plain, e);
    }
    return upgrade(factory, plain, host, port, unread);
  }

  /**
   * As {@link #upgrade(SSLSocketFactory, Socket, InputStream, String, int)} for a character reader
   * (an {@code InputStreamReader} or a {@code BufferedReader} over one): it must not be {@code
   * ready()}, and the socket must have no unread bytes.
   */
  public static ClientUpgrade upgrade(SSLSocketFactory factory, Socket plain, Reader reader, String host, int port)
      throws IOException {
    requireArguments(factory, plain, reader, host, port);
    long unread;
    try {
      int socketBytes = plain.getInputStream().available();
      unread = reader.ready() ? Math.max(1, socketBytes) : socketBytes;
    } catch (IOException e) {
      throw closeAfter(plain, e);
    } catch (RuntimeException e) {
      throw closeAfter(plain, e);
    }
    return upgrade(factory, plain, host, port, unread);
  }

  private static ClientUpgrade upgrade(SSLSocketFactory factory, Socket plain, String host, int port, long unread)
      throws IOException {
    if (unread > 0) {
      throw closeAfter(plain, new StartTlsViolationException("STL-04", unread, "STARTTLS refused with " + host
          + ":" + port + ": " + unread + " bytes (at least) from the server were waiting unread behind the"
          + " go-ahead (STARTTLS response injection, STL-04). A server sends nothing after its go-ahead"
          + " until the ClientHello; these bytes were placed there to be read as if they came through TLS."
          + " The connection was closed."));
    }
    SSLSocket tls;
    try {
      tls = (SSLSocket) factory.createSocket(plain, host, port, true);
    } catch (IOException e) {
      throw closeAfter(plain, e);
    } catch (RuntimeException e) {
      throw closeAfter(plain, e);
    }
    try {
      tls.startHandshake();
      return new ClientUpgrade(tls, new BufferedInputStream(tls.getInputStream()), tls.getOutputStream());
    } catch (IOException e) {
      throw closeAfter(tls, e); // autoClose: closes the plain socket too
    } catch (RuntimeException e) {
      throw closeAfter(tls, e);
    }
  }

  private static void requireArguments(SSLSocketFactory factory, Socket plain, Object reader, String host,
      int port) {
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(plain, "plain");
    Objects.requireNonNull(reader, "reader: pass the stream the go-ahead was read with, so its buffer can be checked");
    Objects.requireNonNull(host, "host: the certificate is checked against it");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    if (plain instanceof SSLSocket) {
      throw new IllegalArgumentException("TLS is already active on this socket (RFC 3207 §4.2, RFC 2595 §4)");
    }
    if (!plain.isConnected() || plain.isClosed()) {
      throw new IllegalArgumentException("the plain socket must be connected and open: " + plain);
    }
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
