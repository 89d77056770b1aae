package org.mailtls.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;
import org.mailtls.cli.demo.LegacyTls11Server;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/**
 * The demo's legacy server really is a TLS 1.1 server (so the demo's refusal is MailTLS refusing TLS
 * 1.1, not a broken server): a BouncyCastle low-level client that still speaks TLS 1.1 completes a
 * handshake with it and reads the IMAP greeting.
 */
class DemoLegacyServerTest {

  @Test
  void legacyServer_tls11Client_handshakeCompletesAtTls11() throws Exception {
    TestPki pki = TestPki.create();
    HeldCertificate leaf = pki.leaf().addDnsName("mail.example.test").build();
    AtomicReference<Integer> certificates = new AtomicReference<>(0);
    AtomicReference<ProtocolVersion> version = new AtomicReference<>();
    try (LegacyTls11Server server = LegacyTls11Server.start(leaf);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(10_000);
      TlsClientProtocol tls = new TlsClientProtocol(s.getInputStream(), s.getOutputStream());
      tls.connect(new DefaultTlsClient(new BcTlsCrypto(new SecureRandom())) {
        @Override
        protected ProtocolVersion[] getSupportedVersions() {
          return ProtocolVersion.TLSv11.only();
        }

        @Override
        public void notifyServerVersion(ProtocolVersion serverVersion) throws IOException {
          super.notifyServerVersion(serverVersion);
          version.set(serverVersion);
        }

        @Override
        public TlsAuthentication getAuthentication() {
          return new ServerOnlyTlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate c) {
              certificates.set(c.getCertificate().getLength()); // a test client: no validation
            }
          };
        }
      });

      assertEquals(ProtocolVersion.TLSv11, version.get());
      assertEquals(2, certificates.get(), "leaf and intermediate");
      assertTrue(readLine(tls.getInputStream()).startsWith("* OK"));
      tls.close();
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    return line.toString(US_ASCII);
  }
}
