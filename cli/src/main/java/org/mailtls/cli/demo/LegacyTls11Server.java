package org.mailtls.cli.demo;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mailtls.testing.HeldCertificate;

/**
 * A legacy IMAPS server on 127.0.0.1 that speaks TLS 1.1 and nothing newer, as old servers still
 * do. The JDK refuses TLS 1.1 for the whole JVM (jdk.tls.disabledAlgorithms), so it runs on
 * BouncyCastle's low-level TLS API ({@link TlsServerProtocol}, {@link DefaultTlsServer} over {@link
 * BcTlsCrypto}), which ignores those JVM-wide settings: no global setting changes. Its certificate
 * (EC, from the demo CA) would be fine; only its protocol version is obsolete (RFC 8996).
 */
public final class LegacyTls11Server implements AutoCloseable {
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
  private final AsymmetricKeyParameter key;
  private final byte[][] chainDer;
  private final ServerSocket listener;
  private final Thread thread;

  private LegacyTls11Server(HeldCertificate leaf, ServerSocket listener) throws IOException {
    this.key = PrivateKeyFactory.createKey(leaf.privateKey().getEncoded());
    List<X509Certificate> chain = leaf.chain();
    int sent = Math.max(1, chain.size() - 1); // leaf and intermediates; the root stays with the client
    this.chainDer = new byte[sent][];
    try {
      for (int i = 0; i < sent; i++) {
        chainDer[i] = chain.get(i).getEncoded();
      }
    } catch (CertificateEncodingException e) {
      throw new IOException("cannot encode the demo certificate chain", e);
    }
    this.listener = listener;
    this.thread = new Thread(this::acceptLoop, "mailtls-demo-legacy-tls11");
    this.thread.setDaemon(true);
  }

  /** Starts the server on a free loopback port, serving {@code leaf} (an EC key) and its chain. */
  public static LegacyTls11Server start(HeldCertificate leaf) throws IOException {
    ServerSocket listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    LegacyTls11Server server = new LegacyTls11Server(leaf, listener);
    server.thread.start();
    return server;
  }

  /** The port it listens on. */
  public int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        TlsServerProtocol tls = new TlsServerProtocol(s.getInputStream(), s.getOutputStream());
        tls.accept(new Tls11Only());
        OutputStream out = tls.getOutputStream();
        out.write("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] legacy IMAP server ready\r\n".getBytes(US_ASCII));
        out.flush();
        tls.getInputStream().read(); // until the client says anything or leaves
        tls.close();
      } catch (IOException | RuntimeException e) {
        // A client that refuses TLS 1.1 ends here (protocol_version alert): wait for the next one.
      }
    }
  }

  /** The server's TLS policy: TLS 1.1 only, its ECDHE-ECDSA CBC suites, the demo key. */
  private final class Tls11Only extends DefaultTlsServer {
    Tls11Only() {
      super(crypto);
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return ProtocolVersion.TLSv11.only();
    }

    /** What a TLS 1.1 server offers with an EC key: ECDHE-ECDSA with AES-CBC and HMAC-SHA1. */
    @Override
    protected int[] getSupportedCipherSuites() {
      return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA};
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
      TlsCertificate[] certs = new TlsCertificate[chainDer.length];
      for (int i = 0; i < certs.length; i++) {
        certs[i] = crypto.createCertificate(chainDer[i]);
      }
      // TLS 1.1 has no signature_algorithms: the signer takes no SignatureAndHashAlgorithm.
      return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, key, new Certificate(certs),
          null);
    }
  }

  /** Stops accepting and waits briefly for the serving thread to end. */
  @Override
  public void close() throws IOException {
    listener.close();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
