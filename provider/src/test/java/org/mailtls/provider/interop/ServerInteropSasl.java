package org.mailtls.provider.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.mailtls.policy.TrustDecision;
import org.mailtls.provider.MailTls;
import org.mailtls.provider.server.AuthDecision;
import org.mailtls.provider.server.CleartextAuthGate;
import org.mailtls.provider.server.LineReader;
import org.mailtls.provider.server.ServerSessionState;

/** The SASL side of {@link ServerInteropImaps}: IMAP AUTHENTICATE PLAIN and EXTERNAL (RFC 4959). */
final class ServerInteropSasl {
  private ServerInteropSasl() {}

  /**
   * AUTHENTICATE PLAIN (through the gate, RFC 4616) or EXTERNAL (RFC 4422 App. A: the mapped
   * identity; an authorization identity other than it is refused), with SASL-IR or a continuation.
   * Returns the authenticated identity, or null after sending the failure.
   */
  static String authenticate(CleartextAuthGate gate, String tag, String[] w, LineReader reader, OutputStream out, ServerSessionState state,
      Socket socket) throws IOException {
    String mechanism = w.length > 2 ? w[2].toUpperCase(Locale.ROOT) : "";
    if (!mechanism.equals("PLAIN") && !mechanism.equals("EXTERNAL")) {
      ServerInteropImaps.reply(out, tag + " NO [CANNOT] unsupported mechanism");
      return null;
    }
    String response = w.length > 3 ? w[3] : null;
    if (response == null) {
      ServerInteropImaps.reply(out, "+ ");
      response = reader.readLine();
    }
    String decoded = response == null || "=".equals(response) ? "" : new String(Base64.getDecoder().decode(response), UTF_8);
    if (mechanism.equals("PLAIN")) {
      String[] f = decoded.split("\u0000", -1);
      if (f.length != 3 || !(f[0].isEmpty() || f[0].equals(f[1]))) {
        ServerInteropImaps.reply(out, tag + " NO [AUTHENTICATIONFAILED] malformed PLAIN response");
        return null;
      }
      AuthDecision d = gate.check(state.isTls(), f[1], f[2], ServerInteropSasl::verify);
      if (d instanceof AuthDecision.Refused r) {
        out.write(r.imap(tag));
        out.flush();
        return null;
      }
      ServerInteropImaps.reply(out, tag + (d.isAllowed() ? " OK AUTHENTICATE completed" : " NO [AUTHENTICATIONFAILED] Invalid credentials"));
      return d.isAllowed() ? f[1] : null;
    }
    String identity = externalIdentity(socket).orElse(null);
    if (identity == null) {
      ServerInteropImaps.reply(out, tag + " NO [AUTHENTICATIONFAILED] no mapped client certificate");
      return null;
    }
    if (!decoded.isEmpty() && !decoded.equals(identity)) {
      ServerInteropImaps.reply(out, tag + " NO [AUTHORIZATIONFAILED] " + identity + " may not act as " + decoded);
      return null;
    }
    ServerInteropImaps.reply(out, tag + " OK EXTERNAL authenticated as " + identity);
    return identity;
  }

  static boolean verify(String user, CharSequence password) {
    return ServerInteropFixtures.USER.equals(user) && ServerInteropFixtures.USER_PASSWORD.contentEquals(password);
  }

  /** MailTLS's mapped SASL EXTERNAL identity for this connection's client certificate, if any. */
  static Optional<String> externalIdentity(Socket socket) {
    if (!(socket instanceof SSLSocket tls)) {
      return Optional.empty();
    }
    return MailTls.decisionOf(tls.getSession())
        .filter(TrustDecision.Accepted.class::isInstance)
        .flatMap(d -> ((TrustDecision.Accepted) d).saslExternalIdentity());
  }

}
