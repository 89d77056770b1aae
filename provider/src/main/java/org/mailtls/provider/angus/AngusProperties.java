package org.mailtls.provider.angus;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.mailtls.provider.MailTlsProvider;

/**
 * Complete Angus Mail (Jakarta Mail 2.x) session properties for one MailTLS connection type, in
 * one call, so that none of the settings that keep MailTLS in charge can be forgotten. Pure {@code
 * java.util.Properties}: Angus is not needed to compile against MailTLS.
 *
 * <pre>{@code
 * Properties props = AngusProperties.forImapStartTls(mailTlsContext, "mail.example.net");
 * Store store = Session.getInstance(props).getStore();      // "imap": mail.store.protocol is set
 * store.connect("alice", password);                          // host and port 143 come from props
 * }</pre>
 *
 * <p>Every variant sets, for its protocol {@code p} (checked against the Angus Mail 2.0.5 byte code,
 * {@code org.eclipse.angus.mail.util.SocketFetcher}, {@code IMAPStore}, {@code POP3Store}, {@code
 * SMTPTransport}):
 *
 * <ul>
 *   <li>{@code mail.p.ssl.socketFactory}: the MailTLS factory. Angus reads this key first both for
 *       implicit TLS ({@code getSocket}) and for STARTTLS ({@code startTLS}); without it STARTTLS
 *       silently uses {@code SSLSocketFactory.getDefault()} and MailTLS checks nothing.
 *   <li>{@code mail.p.socketFactory.fallback=false}: Angus's default is {@code true}, and then any
 *       failure of the configured factory, a MailTLS refusal included, is swallowed and the
 *       connection retried with the JVM default factory (the "fallback trap", {@code
 *       AngusFallbackTrapTest}).
 *   <li>{@code mail.p.ssl.checkserveridentity=true}, Angus's default, pinned. It only sets the JDK's
 *       "LDAPS" endpoint identification, which MailTLS sockets ignore (MailTLS does the RFC 7817
 *       check itself, with no CN fallback); on any non-MailTLS socket it can only add a refusal, never
 *       remove one. Setting it {@code false} would gain nothing and lose that last check.
 *   <li>{@code mail.p.connectiontimeout} and {@code mail.p.timeout}: {@link #CONNECTION_TIMEOUT},
 *       {@link #READ_TIMEOUT} (Angus waits forever by default). IMAP IDLE longer than the read
 *       timeout needs a larger {@code mail.imap.timeout}.
 *   <li>{@code mail.p.host}, {@code mail.p.port} (the RFC 8314 port), and {@code
 *       mail.store.protocol} or {@code mail.transport.protocol} (+ {@code .rfc822}) = {@code p}.
 * </ul>
 *
 * <p>The STARTTLS variants also set {@code mail.p.starttls.enable=true} and {@code
 * mail.p.starttls.required=true} (no cleartext session when the server does not offer STARTTLS,
 * STL-05), and {@code mail.p.socketFactory}: a MailTLS cleartext-phase guard for the plain socket
 * (the STL-04, STL-06 and STL-07 protections Angus lacks; see {@link CleartextProtocol}). Nothing
 * here enables a cleartext login.
 *
 * <p>Do not add {@code mail.p.ssl.trust} (Angus then replaces MailTLS with its own factory, which
 * for a host list checks no certificate), {@code mail.p.ssl.hostnameverifier(.class)} (it refuses
 * valid RFC 7817 matches), {@code mail.p.socketFactory.fallback=true}, or {@code
 * mail.imap.enableresponseevents} (it hands every server response, cleartext ones included, to
 * {@code StoreListener}s). Each call returns a new, mutable {@code Properties}.
 *
 * <p>Limits of the STARTTLS variants, because Angus uses a configured plain {@code SocketFactory}'s
 * socket as is: {@code mail.p.socks.host} is ignored, an HTTP {@code mail.p.proxy.host} answer
 * would be refused as a greeting, and {@code mail.imap.usesocketchannels} (needed by {@code
 * IdleManager}) gets no channel. Use the implicit-TLS variants there (and in general: RFC 8314 §3,
 * STL-10).
 */
public final class AngusProperties {
  /** Connection timeout set by every variant ({@code mail.p.connectiontimeout}). */
  public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(30);
  /** Read timeout set by every variant ({@code mail.p.timeout}). */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private AngusProperties() {}

  /** IMAP over implicit TLS (Angus protocol {@code imaps}, port 993; RFC 8314 §3.3). */
  public static Properties forImaps(SSLContext mailTls, String host) {
    return implicitTls("imaps", 993, false, mailTls, host);
  }

  /** IMAP with required STARTTLS (Angus protocol {@code imap}, port 143), guarded before TLS. */
  public static Properties forImapStartTls(SSLContext mailTls, String host) {
    return startTls("imap", 143, CleartextProtocol.IMAP, false, mailTls, host);
  }

  /** POP3 over implicit TLS (Angus protocol {@code pop3s}, port 995; RFC 8314 §3.3). */
  public static Properties forPop3s(SSLContext mailTls, String host) {
    return implicitTls("pop3s", 995, false, mailTls, host);
  }

  /** POP3 with required STLS (Angus protocol {@code pop3}, port 110), guarded before TLS. */
  public static Properties forPop3StartTls(SSLContext mailTls, String host) {
    return startTls("pop3", 110, CleartextProtocol.POP3, false, mailTls, host);
  }

  /** Message submission over implicit TLS (Angus protocol {@code smtps}, port 465; RFC 8314 §3.3). */
  public static Properties forSubmissions(SSLContext mailTls, String host) {
    return implicitTls("smtps", 465, true, mailTls, host);
  }

  /** Message submission with required STARTTLS (Angus protocol {@code smtp}, port 587; RFC 6409). */
  public static Properties forSubmissionStartTls(SSLContext mailTls, String host) {
    return startTls("smtp", 587, CleartextProtocol.SMTP, true, mailTls, host);
  }

  private static Properties implicitTls(String p, int port, boolean transport, SSLContext mailTls, String host) {
    return common(p, port, transport, factoryOf(mailTls), requireHost(host));
  }

  private static Properties startTls(String p, int port, CleartextProtocol guard, boolean transport,
      SSLContext mailTls, String host) {
    Properties props = common(p, port, transport, factoryOf(mailTls), requireHost(host));
    props.put("mail." + p + ".socketFactory", new CleartextPhaseSocketFactory(guard));
    props.put("mail." + p + ".starttls.enable", "true");
    props.put("mail." + p + ".starttls.required", "true");
    return props;
  }

  private static Properties common(String p, int port, boolean transport, SSLSocketFactory factory, String host) {
    Properties props = new Properties();
    String prefix = "mail." + p;
    props.put(prefix + ".ssl.socketFactory", factory); // an object: put, not setProperty
    props.put(prefix + ".socketFactory.fallback", "false");
    props.put(prefix + ".ssl.checkserveridentity", "true");
    props.put(prefix + ".connectiontimeout", String.valueOf(CONNECTION_TIMEOUT.toMillis()));
    props.put(prefix + ".timeout", String.valueOf(READ_TIMEOUT.toMillis()));
    props.put(prefix + ".host", host);
    props.put(prefix + ".port", String.valueOf(port));
    if (transport) {
      props.put("mail.transport.protocol", p);
      props.put("mail.transport.protocol.rfc822", p);
    } else {
      props.put("mail.store.protocol", p);
    }
    return props;
  }

  private static SSLSocketFactory factoryOf(SSLContext mailTls) {
    Objects.requireNonNull(mailTls, "mailTls: the MailTLS SSLContext of the account");
    if (!(mailTls.getProvider() instanceof MailTlsProvider)) {
      throw new IllegalArgumentException("not a MailTLS SSLContext (provider " + mailTls.getProvider().getName()
          + "): get it with SSLContext.getInstance(\"MailTLS\", provider); with any other context Angus would"
          + " connect without MailTLS's checks");
    }
    try {
      return mailTls.getSocketFactory();
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the MailTLS SSLContext is not initialised: call init(...) first", e);
    }
  }

  private static String requireHost(String host) {
    Objects.requireNonNull(host, "host: the server name the certificate is checked against (as the user typed"
        + " it, never an MX, SRV or CNAME answer)");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    return host;
  }
}
