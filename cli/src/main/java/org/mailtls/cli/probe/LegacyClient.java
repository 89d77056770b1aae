package org.mailtls.cli.probe;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.identity.IpAddress;
import org.mailtls.policy.identity.MailService;

/**
 * A deliberately permissive TLS client that offers exactly one {@link LegacyCheck}'s version and
 * suites, to learn whether the server would agree to them.
 *
 * <p>Why BouncyCastle's low-level TLS API ({@code TlsClientProtocol} with a {@code DefaultTlsClient}
 * over {@code BcTlsCrypto}) and not JSSE with a relaxed {@code jdk.tls.disabledAlgorithms}: that
 * security property is read once per JVM, when the JDK's TLS classes initialise, so setting it
 * "early" would have to beat every other TLS user in the process (MailTLS itself, tests running in
 * the same JVM) and would weaken them all. BouncyCastle's low-level API consults no JDK security
 * property: the weak offer stays inside this class, used for nothing but the question, and
 * BouncyCastle is already in MailTLS (it is the default engine underneath).
 *
 * <p>"Accepted" means the server's ServerHello chose the offered version and one of the offered
 * suites: that is the server agreeing to it, whether or not the rest of the handshake completes. The
 * client checks no certificate (it never sends data, so there is nothing to protect) and sends no
 * application data, only the protocol's STARTTLS dialogue before TLS.
 */
final class LegacyClient {
  /** How one attempt ended. */
  enum Outcome { ACCEPTED, REFUSED, NOT_TESTED }

  /**
   * The result of one attempt.
   *
   * @param detail what the server did, one line
   */
  record Attempt(LegacyCheck check, Outcome outcome, String detail) {}

  private LegacyClient() {}

  /** Offers {@code check}'s version and suites to the server; never throws. */
  static Attempt attempt(LegacyCheck check, String host, int port, MailService service, Duration timeout) {
    int ms = (int) timeout.toMillis();
    Socket plain;
    try {
      plain = PolicyHandshake.connect(host, port, ms);
    } catch (CannotConnectException e) {
      return new Attempt(check, Outcome.NOT_TESTED, e.getMessage());
    }
    Client client = new Client(check, host);
    try {
      plain.setSoTimeout(ms);
      if (!service.implicitTls()) {
        try {
          MailDialogue.startTls(plain, service, ms);
        } catch (IOException e) {
          return new Attempt(check, Outcome.NOT_TESTED, "STARTTLS dialogue: " + PolicyHandshake.oneLine(e));
        }
        plain.setSoTimeout(ms);
      }
      TlsClientProtocol protocol = new TlsClientProtocol(plain.getInputStream(), plain.getOutputStream());
      try {
        protocol.connect(client);
        protocol.close();
        return accepted(client, "handshake completed");
      } catch (IOException | RuntimeException e) {
        if (client.selectedSuite >= 0) {
          return accepted(client, "handshake then failed: " + PolicyHandshake.oneLine(e));
        }
        if (e instanceof SocketTimeoutException) {
          return new Attempt(check, Outcome.NOT_TESTED, "no answer within " + timeout.toSeconds() + " s");
        }
        return new Attempt(check, Outcome.REFUSED, refusal(client, e));
      }
    } catch (IOException e) {
      return new Attempt(check, Outcome.NOT_TESTED, PolicyHandshake.oneLine(e));
    } finally {
      PolicyHandshake.closeQuietly(plain);
    }
  }

  private static Attempt accepted(Client c, String how) {
    return new Attempt(c.check, Outcome.ACCEPTED, "the server chose " + c.version + " with "
        + c.check.nameOf(c.selectedSuite) + " (" + how + ")");
  }

  private static String refusal(Client c, Exception e) {
    if (c.alertReceived >= 0) {
      return "the server answered with alert " + AlertDescription.getText((short) c.alertReceived);
    }
    if (e instanceof TlsFatalAlert
        && ((TlsFatalAlert) e).getAlertDescription() == AlertDescription.protocol_version) {
      return "the server answered with a version that was not offered";
    }
    if (e instanceof EOFException || e instanceof java.net.SocketException) {
      return "the server closed the connection (" + PolicyHandshake.oneLine(e) + ")";
    }
    return "no agreement: " + PolicyHandshake.oneLine(e);
  }

  /** The BouncyCastle client: one version, the check's suites, SNI for a host name, no checks. */
  private static final class Client extends DefaultTlsClient {
    final LegacyCheck check;
    private final String host;
    volatile int selectedSuite = -1;
    volatile int alertReceived = -1;
    volatile ProtocolVersion version = ProtocolVersion.TLSv10;

    Client(LegacyCheck check, String host) {
      super(new BcTlsCrypto(new SecureRandom()));
      this.check = check;
      this.host = host;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return check.version().only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return org.bouncycastle.tls.TlsUtils.getSupportedCipherSuites(getCrypto(), check.suites());
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // BouncyCastle's API uses raw Vectors
    protected Vector getSNIServerNames() {
      if (IpAddress.tryParse(host).isPresent()) {
        return null; // RFC 6066 §3: no IP literals in SNI
      }
      Vector names = new Vector();
      names.add(new ServerName(NameType.host_name, MailEndpoint.normalize(host).getBytes(US_ASCII))); // A-label
      return names;
    }

    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
      return false;
    }

    @Override
    public void notifyServerVersion(ProtocolVersion serverVersion) throws IOException {
      super.notifyServerVersion(serverVersion);
      this.version = serverVersion;
    }

    @Override
    public void notifySelectedCipherSuite(int selected) {
      super.notifySelectedCipherSuite(selected);
      this.selectedSuite = selected;
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
      this.alertReceived = description;
    }

    @Override
    public TlsAuthentication getAuthentication() {
      return new ServerOnlyTlsAuthentication() {
        @Override
        public void notifyServerCertificate(TlsServerCertificate certificate) {
          // accepted unchecked: only the server's willingness is being measured, no data is sent
        }
      };
    }
  }
}
