package org.mailtls.cli.pin;


import java.io.IOException;
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
import org.mailtls.cli.probe.MailDialogue;
import org.mailtls.provider.MailTlsParameters;
import org.mailtls.provider.MailTlsProvider;

/**
 * The client side of a mail connection as {@code mailtls} makes it: a plain TCP socket, the
 * STARTTLS dialogue for the STARTTLS services, then a MailTLS socket layered over the plain one
 * ({@code createSocket(plain, host, port, true)}), so that MailTLS sees the handshake bytes and can
 * tell the negotiated group, and checks the server against {@code host}, never against the address
 * actually dialled.
 *
 * <p>The dialogue is the probe's ({@link MailDialogue}): it reads the server's replies one byte at a
 * time, so no byte after the go-ahead is swallowed by a buffer, and bytes that arrived before TLS
 * unasked are refused (STL-04).
 */
public final class MailConnector {
  /** The dialogue's time budget when the socket has no read timeout. */
  private static final int DEFAULT_DIALOGUE_MILLIS = 30_000;

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
   * go-ahead ({@link MailDialogue}: capabilities checked, nothing read past the go-ahead, injected
   * bytes refused); nothing for an implicit-TLS service. The socket's read timeout bounds the whole
   * dialogue.
   *
   * @throws ProtocolException when the server does not offer or refuses STARTTLS, or answers out of protocol
   */
  public static void startTls(Socket plain, MailService service) throws IOException {
    if (service.implicitTls()) {
      return; // implicit TLS: nothing is said in cleartext
    }
    int timeout = plain.getSoTimeout();
    MailDialogue.startTls(plain, service, timeout > 0 ? timeout : DEFAULT_DIALOGUE_MILLIS);
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

  private static void closeQuietly(Socket s, Exception failure) {
    try {
      s.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
