package org.mailtls.provider;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.KeyType;
import org.mailtls.testing.SignatureAlgorithm;
import org.mailtls.testing.TestPki;

/**
 * Hostile peers for the conformance suite: RAW SunJSSE servers ({@code SSLContext.getInstance("TLS")},
 * SunX509 key manager) serving the test PKI's key material, restricted with {@code SSLParameters} to
 * what MailTLS must refuse. The test JVM empties the JDK's disabled-algorithm lists, so these peers
 * really speak TLS 1.0/1.1, CBC, static RSA, SHA-1 and RSA-1024; every refusal case checks that with
 * a permissive raw client first (a positive control, see {@link RawClients}).
 */
final class HostilePeers {
  /** The host the mail account is configured with; reached over the STARTTLS socket path. */
  static final String MAIL_HOST = "mail.example.net";
  /** Reached with {@code createSocket("localhost", port)}; its leaves carry DNS-ID localhost. */
  static final String LOCALHOST = "localhost";

  static final String TLS13 = "TLSv1.3";
  static final String TLS12 = "TLSv1.2";
  static final String TLS11 = "TLSv1.1";
  static final String TLS10 = "TLSv1";
  static final String ECDHE_ECDSA_AES128_CBC_SHA = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
  static final String ECDHE_ECDSA_AES128_CBC_SHA256 = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
  static final String RSA_AES128_GCM_SHA256 = "TLS_RSA_WITH_AES_128_GCM_SHA256";
  static final String ECDHE_RSA_AES128_GCM_SHA256 = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
  static final String AES128_GCM_SHA256 = "TLS_AES_128_GCM_SHA256";

  /** The PKI MailTLS clients trust: root → intermediate → leaf, EC P-256. */
  static final TestPki PKI = TestPki.create();
  /** A second PKI nobody trusts. */
  private static final Supplier<TestPki> OTHER_PKI = memoize(TestPki::create);
  private static final Supplier<HeldCertificate> RSA_2048_MAIL =
      memoize(() -> PKI.leaf().keyType(KeyType.RSA_2048).addDnsName(MAIL_HOST).addDnsName(LOCALHOST).build());

  private HostilePeers() {}

  /**
   * A raw server: key material plus the protocols and suites it is limited to (null: SunJSSE's
   * defaults, which in this JVM include everything).
   */
  record Peer(String name, KeyStore keys, String[] protocols, String[] suites) implements RawHandshake.Server {
    @Override
    public SSLEngine engine() throws Exception {
      return TestServers.rawServerEngine(TestServers.rawServer(keys), protocols, suites);
    }

    @Override
    public SSLServerSocket listen() throws Exception {
      return TestServers.rawServerSocket(TestServers.rawServer(keys), protocols, suites);
    }

    Peer speaking(String[] onlyProtocols, String[] onlySuites) {
      return new Peer(name, keys, onlyProtocols, onlySuites);
    }

    /** What a control client must enable to talk to this peer. */
    String[] protocolsForControl() {
      return protocols != null ? protocols : new String[] {TLS13, TLS12};
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Peer serving(String name, HeldCertificate leaf) {
    return new Peer(name, TestPki.keyStore(leaf, TestServers.PASSWORD), null, null);
  }

  /** A leaf of {@link #PKI} for {@code host}. */
  static HeldCertificate leafFor(String host) {
    return PKI.leaf().addDnsName(host).build();
  }

  // ---- well-behaved ----------------------------------------------------------------------------

  static Peer valid(String host) {
    return serving("valid chain for " + host, leafFor(host));
  }

  static Peer tls12Only(String host) {
    return valid(host).speaking(new String[] {TLS12}, null);
  }

  // ---- protocol and suite floors ---------------------------------------------------------------

  static Peer tls11Only(String host) {
    return serving("TLS 1.1-only", leafFor(host)).speaking(new String[] {TLS11},
        new String[] {ECDHE_ECDSA_AES128_CBC_SHA});
  }

  static Peer tls10Only(String host) {
    return serving("TLS 1.0-only", leafFor(host)).speaking(new String[] {TLS10},
        new String[] {ECDHE_ECDSA_AES128_CBC_SHA});
  }

  static Peer cbcOnly(String host) {
    return serving("CBC-only TLS 1.2", leafFor(host)).speaking(new String[] {TLS12},
        new String[] {ECDHE_ECDSA_AES128_CBC_SHA256});
  }

  static Peer staticRsaOnly() {
    return serving("static-RSA-only TLS 1.2", RSA_2048_MAIL.get()).speaking(new String[] {TLS12},
        new String[] {RSA_AES128_GCM_SHA256});
  }

  // ---- names ----------------------------------------------------------------------------------

  static Peer wrongName() {
    return serving("leaf for other.example.net", PKI.leaf().addDnsName("other.example.net").build());
  }

  static Peer partialWildcard() {
    return serving("leaf for m*.example.net", PKI.leaf().addDnsName("m*.example.net").build());
  }

  static Peer cnOnly() {
    return serving("CN-only leaf", PKI.leaf().subjectCommonName(MAIL_HOST).build());
  }

  // ---- chains ---------------------------------------------------------------------------------

  static Peer expired(String host) {
    Instant now = Instant.now();
    return serving("expired leaf", PKI.leaf().addDnsName(host)
        .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).build());
  }

  static Peer untrustedRoot(String host) {
    return serving("leaf of an untrusted root", OTHER_PKI.get().leaf().addDnsName(host).build());
  }

  /** The server's key store holds the leaf alone: the intermediate is never sent. */
  static Peer missingIntermediate(String host) throws Exception {
    HeldCertificate leaf = leafFor(host);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(TestPki.LEAF_ALIAS, leaf.privateKey(), TestServers.PASSWORD,
        new X509Certificate[] {leaf.certificate()});
    return new Peer("leaf without its intermediate", ks, null, null);
  }

  static Peer sha1SignedLeaf(String host) {
    return serving("SHA-1-signed leaf",
        PKI.leaf().addDnsName(host).signatureAlgorithm(SignatureAlgorithm.SHA1_WITH_ECDSA).build());
  }

  /** An RSA-1024 leaf served with TLS 1.3 or ECDHE_RSA GCM (TLS 1.3 wins). */
  static Peer rsa1024Leaf(String host) {
    return serving("RSA-1024 leaf", PKI.leaf().addDnsName(host).keyType(KeyType.RSA_1024).build())
        .speaking(new String[] {TLS13, TLS12}, new String[] {AES128_GCM_SHA256, ECDHE_RSA_AES128_GCM_SHA256});
  }

  private static <T> Supplier<T> memoize(Supplier<T> s) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = s.get();
        }
        return value;
      }
    };
  }
}
