package org.mailtls.benchmarks;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The raw variants' server key manager: one private key held in memory and one or more chains for
 * it, so the raw engines pay what MailTLS's in-memory key manager pays and not SunJSSE's PKCS12
 * re-decryption (../shared/research/engine-performance.md, finding 1).
 *
 * <p>{@link #select(int)} picks the chain served next; {@code TrustDecisionBenchmark} uses it to
 * present a different leaf (same key) on every handshake. Key types are matched as engines pass
 * them (SunJSSE "EC"/"RSA"/"RSASSA-PSS", BCJSSE "EC/secp256r1", "ECDHE_ECDSA", "ECDHE_RSA"), so an
 * engine never gets a key that cannot make the signature it asked for.
 */
final class InMemoryServerKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "server";

  private final PrivateKey key;
  private final X509Certificate[][] chains;
  private final boolean ec;
  private final int curveBits;
  private int current;

  InMemoryServerKeyManager(PrivateKey key, X509Certificate[]... chains) {
    if (chains.length == 0) {
      throw new IllegalArgumentException("at least one chain");
    }
    this.key = key;
    this.chains = chains;
    String alg = key.getAlgorithm().toUpperCase(Locale.ROOT);
    this.ec = alg.equals("EC") || alg.equals("ECDSA");
    this.curveBits = chains[0][0].getPublicKey() instanceof ECPublicKey
        ? ((ECPublicKey) chains[0][0].getPublicKey()).getParams().getCurve().getField().getFieldSize() : -1;
  }

  /** Serves chain {@code index} (modulo the number of chains) from the next handshake on. */
  void select(int index) {
    current = Math.floorMod(index, chains.length);
  }

  int chainCount() {
    return chains.length;
  }

  private boolean fits(String keyType) {
    String kt = keyType.toUpperCase(Locale.ROOT);
    if (kt.startsWith("EC/")) {
      String curve = kt.substring(3);
      int bits = curve.equals("SECP256R1") ? 256 : curve.equals("SECP384R1") ? 384 : curve.equals("SECP521R1") ? 521 : 0;
      return ec && bits == curveBits;
    }
    if (kt.equals("EC") || kt.equals("ECDSA") || kt.endsWith("_ECDSA")) {
      return ec;
    }
    if (kt.equals("RSA") || kt.equals("RSASSA-PSS") || kt.endsWith("_RSA")) {
      return !ec;
    }
    return false;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chains[current].clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
