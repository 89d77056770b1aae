package org.mailtls.cli.probe;

import java.io.IOException;
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
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mailtls.testing.HeldCertificate;

/**
 * An implicit-TLS server that really speaks TLS 1.1 (and 1.2), like an unmaintained mail server.
 *
 * <p>Why BouncyCastle's low-level server API and not SunJSSE: the JDK refuses TLS 1.0/1.1 through
 * {@code jdk.tls.disabledAlgorithms}, which this module's test JVM does not relax (its pom is shared
 * and has no argLine), and relaxing it at run time is unreliable once any JSSE class has initialised.
 * The low-level API reads no JDK security property, so this server offers TLS 1.1 whatever the JVM
 * says. It serves an ECDSA chain from the test PKI with ECDHE-ECDSA suites, AEAD and CBC.
 */
public final class LegacyTlsTestServer extends LoopbackServer {
  private final HeldCertificate leaf;
  private final ProtocolVersion[] versions;

  /** Serves {@code leaf} over the given versions, e.g. {@code TLSv12.downTo(TLSv11)}. */
  public LegacyTlsTestServer(HeldCertificate leaf, ProtocolVersion[] versions) throws IOException {
    super(plainListener());
    this.leaf = leaf;
    this.versions = versions.clone();
    start();
  }

  @Override
  protected void serve(Socket accepted) throws IOException {
    TlsServerProtocol protocol = new TlsServerProtocol(accepted.getInputStream(), accepted.getOutputStream());
    Server server = new Server(new BcTlsCrypto(new SecureRandom()));
    try {
      protocol.accept(server);
    } catch (IOException e) {
      log.add("handshake failed");
      return;
    }
    log.add("handshake " + server.negotiated);
    byte[] buf = new byte[512];
    while (protocol.getInputStream().read(buf) >= 0) {
      // read until the client closes; the probe sends LOGOUT and close_notify
    }
    protocol.close();
  }

  private final class Server extends DefaultTlsServer {
    private final BcTlsCrypto crypto;
    volatile String negotiated = "?";

    Server(BcTlsCrypto crypto) {
      super(crypto);
      this.crypto = crypto;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return versions.clone();
    }

    /** ECDSA suites only (the key is EC): AEAD for TLS 1.2, CBC for TLS 1.1 and as a weak TLS 1.2 option. */
    @Override
    protected int[] getSupportedCipherSuites() {
      return TlsUtils.getSupportedCipherSuites(getCrypto(), new int[] {
          CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
          CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA});
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
      super.notifyHandshakeComplete();
      negotiated = context.getServerVersion().toString();
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
      List<X509Certificate> chain = leaf.chain();
      TlsCertificate[] certs = new TlsCertificate[chain.size() - 1]; // without the root, as servers send it
      try {
        for (int i = 0; i < certs.length; i++) {
          certs[i] = crypto.createCertificate(chain.get(i).getEncoded());
        }
      } catch (CertificateEncodingException e) {
        throw new IOException(e);
      }
      AsymmetricKeyParameter key = PrivateKeyFactory.createKey(leaf.privateKey().getEncoded());
      SignatureAndHashAlgorithm alg = TlsUtils.isTLSv12(context)
          ? SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa) : null;
      return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, key, new Certificate(certs),
          alg);
    }
  }
}
