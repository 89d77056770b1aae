package org.mailtls.cli.probe;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import org.mailtls.policy.identity.MailService;
import org.mailtls.provider.server.CleartextAuthGate;
import org.mailtls.provider.server.CleartextAuthPolicy;
import org.mailtls.provider.server.LineReader;
import org.mailtls.provider.server.ServerSessionState;
import org.mailtls.provider.server.StartTlsAdvertisement;
import org.mailtls.provider.server.StartTlsRefusedException;
import org.mailtls.provider.server.StartTlsUpgrade;
import org.mailtls.provider.server.UpgradedConnection;

/**
 * A STARTTLS server speaking just enough IMAP, POP3 or SMTP for the probe, built from MailTLS's
 * server pieces: commands through {@link LineReader}, STARTTLS through {@link StartTlsUpgrade} and
 * advertised through {@link StartTlsAdvertisement}, cleartext passwords off ({@link
 * CleartextAuthGate}: IMAP lists LOGINDISABLED). Every command line is logged with the channel it
 * came over, e.g. {@code "plain a CAPABILITY"}, {@code "tls a LOGOUT"}.
 */
public final class StartTlsTestServer extends LoopbackServer {
  private final SSLContext context;
  private final MailService service;
  private final StartTlsUpgrade upgrade;
  private final CleartextAuthGate gate = new CleartextAuthGate(CleartextAuthPolicy.disabledForEveryone());

  /** {@code service}: IMAP, POP3 or SUBMISSION; {@code context}: a MailTLS server context. */
  public StartTlsTestServer(MailService service, SSLContext context) throws IOException {
    super(plainListener());
    this.context = context;
    this.service = service;
    this.upgrade = StartTlsUpgrade.using(context);
    start();
  }

  @Override
  protected void serve(Socket accepted) throws IOException {
    Socket socket = accepted;
    LineReader reader = LineReader.over(socket, 1000);
    ServerSessionState state = ServerSessionState.PLAIN_UNAUTHENTICATED;
    reply(socket, switch (service) {
      case IMAP -> "* OK IMAP test server ready";
      case POP3 -> "+OK POP3 test server ready";
      default -> "220 localhost ESMTP test server";
    });
    for (String line; (line = reader.readLine()) != null; ) {
      log.add((state.isTls() ? "tls " : "plain ") + line);
      String[] w = line.split(" ", -1);
      String verb = (service == MailService.IMAP && w.length > 1 ? w[1] : w[0]).toUpperCase(Locale.ROOT);
      String tag = service == MailService.IMAP ? w[0] + " " : "";
      switch (verb) {
        case "CAPABILITY", "CAPA", "EHLO" -> capabilities(socket, tag, state);
        case "STARTTLS", "STLS" -> {
          String goAhead = switch (service) {
            case IMAP -> tag + "OK Begin TLS negotiation now";
            case POP3 -> "+OK Begin TLS negotiation";
            default -> "220 2.0.0 Ready to start TLS";
          };
          try {
            UpgradedConnection c = upgrade.upgrade(state, socket, reader, goAhead);
            socket = c.socket();
            track(socket);
            reader = c.reader();
            state = c.state();
            log.add("upgraded " + c.state());
          } catch (StartTlsRefusedException e) {
            reply(socket, service == MailService.POP3 ? "-ERR not now" : tag + "BAD not now");
          } catch (IOException e) {
            log.add("upgrade failed");
            return;
          }
        }
        case "LOGOUT", "QUIT" -> {
          reply(socket, service == MailService.IMAP ? tag + "OK bye" : service == MailService.POP3 ? "+OK bye" : "221 bye");
          return;
        }
        default -> reply(socket, service == MailService.POP3 ? "-ERR unknown" : service == MailService.IMAP
            ? tag + "BAD unknown" : "502 5.5.2 unknown");
      }
    }
  }

  private void capabilities(Socket socket, String tag, ServerSessionState state) throws IOException {
    boolean startTls = StartTlsAdvertisement.mayAdvertise(context, state);
    switch (service) {
      case IMAP -> {
        reply(socket, "* CAPABILITY IMAP4rev1" + (startTls ? " STARTTLS" : "")
            + (gate.imapLoginDisabled(state.isTls()) ? " LOGINDISABLED" : " AUTH=PLAIN"));
        reply(socket, tag + "OK CAPABILITY completed");
      }
      case POP3 -> reply(socket, "+OK\r\nTOP\r\n" + (startTls ? "STLS\r\n" : "") + (state.isTls() ? "USER\r\n" : "")
          + ".");
      default -> reply(socket, "250-localhost\r\n250-PIPELINING\r\n" + (startTls ? "250-STARTTLS\r\n" : "")
          + (state.isTls() ? "250-AUTH PLAIN\r\n" : "") + "250 8BITMIME");
    }
  }

  private static void reply(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write((text + "\r\n").getBytes(US_ASCII));
    out.flush();
  }
}
