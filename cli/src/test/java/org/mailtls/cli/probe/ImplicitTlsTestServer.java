package org.mailtls.cli.probe;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.mailtls.provider.server.LineReader;

/**
 * An implicit-TLS (imaps-like) server: a MailTLS server socket; after the handshake it greets,
 * logs each command line and ends at LOGOUT or QUIT. Failed handshakes (the probe's legacy
 * attempts) are logged as "handshake failed".
 */
public final class ImplicitTlsTestServer extends LoopbackServer {

  public ImplicitTlsTestServer(SSLContext serverContext) throws IOException {
    super(listener(serverContext));
    start();
  }

  private static ServerSocket listener(SSLContext ctx) throws IOException {
    return ctx.getServerSocketFactory().createServerSocket(0, 50, loopback());
  }

  @Override
  protected void serve(Socket accepted) throws IOException {
    SSLSocket tls = (SSLSocket) accepted;
    try {
      tls.startHandshake();
    } catch (IOException e) {
      log.add("handshake failed");
      return;
    }
    log.add("handshake " + tls.getSession().getProtocol());
    tls.getOutputStream().write("* OK test server ready\r\n".getBytes(US_ASCII));
    tls.getOutputStream().flush();
    LineReader reader = LineReader.over(tls, 512);
    for (String line; (line = reader.readLine()) != null; ) {
      log.add(line);
      if (line.endsWith("LOGOUT") || line.equals("QUIT")) {
        return;
      }
    }
  }
}
