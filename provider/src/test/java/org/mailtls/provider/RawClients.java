package org.mailtls.provider;

import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Clients for the conformance suite: the client under test (a MailTLS context obtained by name), and
 * RAW SunJSSE clients that trust everything, used as positive controls (a hostile peer that a
 * permissive client cannot reach is not testing MailTLS) and as hostile clients of MailTLS servers.
 */
final class RawClients {
  private RawClients() {}

  /** The client under test: {@code SSLContext.getInstance("MailTLS", new MailTlsProvider(engine))} trusting the PKI. */
  static RawHandshake.Client mailTls(JsseEngine engine, String host) throws Exception {
    return RawHandshake.Client.of(TestServers.mailTlsClient(new MailTlsProvider(engine), HostilePeers.PKI), host);
  }

  /** A raw SunJSSE client context that accepts every certificate. */
  static SSLContext permissive() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new InsecureTrustManagerForControls()}, new SecureRandom());
    return ctx;
  }

  /** The positive control for {@code peer}: permissive, opened to exactly what the peer speaks. */
  static RawHandshake.Client controlFor(HostilePeers.Peer peer, String host) throws Exception {
    return RawHandshake.Client.of(permissive(), host).restrictedTo(peer.protocolsForControl(), peer.suites());
  }

  /** A hostile client that speaks only TLS 1.1 with an ECDHE-ECDSA CBC suite. */
  static RawHandshake.Client tls11Only(String host) throws Exception {
    return RawHandshake.Client.of(permissive(), host).restrictedTo(new String[] {HostilePeers.TLS11},
        new String[] {HostilePeers.ECDHE_ECDSA_AES128_CBC_SHA});
  }

  /**
   * Accepts every chain, for positive controls only: it shows that a handshake MailTLS refuses is
   * possible at all with the peer as configured. Never use it to test MailTLS itself.
   */
  static final class InsecureTrustManagerForControls extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
