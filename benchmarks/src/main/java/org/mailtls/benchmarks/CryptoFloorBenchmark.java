package org.mailtls.benchmarks;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The crypto floor: the public-key operations a full handshake cannot avoid, on the JDK's providers
 * (SunEC, SunRsaSign) and on a private {@code new BouncyCastleProvider()} (never registered). A
 * handshake's floor is the sum of its operations (see docs/performance.md): both sides generate an
 * X25519 key and agree; the server signs (CertificateVerify / ServerKeyExchange), the client
 * verifies. Signatures are over 130 bytes, the size of a TLS 1.3 CertificateVerify input.
 *
 * <p>Each operation reuses its {@code KeyPairGenerator}, {@code KeyAgreement} or {@code Signature}
 * object and includes the {@code init} call, as an engine does per handshake.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class CryptoFloorBenchmark {
  @Param({"JDK", "BCPROV"})
  public String provider;

  private final byte[] message = new byte[130];
  private KeyPairGenerator x25519;
  private KeyPairGenerator p256;
  private KeyAgreement x25519Agreement;
  private KeyAgreement ecdh;
  private KeyPair x25519Mine;
  private KeyPair x25519Peer;
  private KeyPair p256Mine;
  private KeyPair p256Peer;
  private Signature ecdsa;
  private Signature rsa;
  private KeyPair ecdsaKeys;
  private KeyPair rsaKeys;
  private byte[] ecdsaSignature;
  private byte[] rsaSignature;

  @Setup(Level.Trial)
  public void setup() throws GeneralSecurityException {
    Provider ec;
    Provider rsaProvider;
    switch (provider) {
      case "JDK":
        ec = required("SunEC");
        rsaProvider = required("SunRsaSign");
        break;
      case "BCPROV":
        ec = new BouncyCastleProvider();
        rsaProvider = ec;
        break;
      default:
        throw new IllegalArgumentException("provider must be JDK or BCPROV: " + provider);
    }
    Arrays.fill(message, (byte) 0x20);
    x25519 = KeyPairGenerator.getInstance("X25519", ec);
    x25519Mine = x25519.generateKeyPair();
    x25519Peer = x25519.generateKeyPair();
    x25519Agreement = KeyAgreement.getInstance("X25519", ec);
    p256 = KeyPairGenerator.getInstance("EC", ec);
    p256.initialize(new ECGenParameterSpec("secp256r1"));
    p256Mine = p256.generateKeyPair();
    p256Peer = p256.generateKeyPair();
    ecdh = KeyAgreement.getInstance("ECDH", ec);
    ecdsa = Signature.getInstance("SHA256withECDSA", ec);
    ecdsaKeys = p256.generateKeyPair();
    KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA", rsaProvider);
    rsaGen.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
    rsaKeys = rsaGen.generateKeyPair();
    rsa = Signature.getInstance("SHA256withRSA", rsaProvider);
    ecdsaSignature = ecdsaP256Sign();
    rsaSignature = rsa2048Sign();

    String label = "CryptoFloorBenchmark " + provider;
    Sanity.check(ecdsaP256Verify() && rsa2048Verify(), label + ": a signature made in setup does not verify");
    KeyAgreement other = KeyAgreement.getInstance("X25519", ec);
    other.init(x25519Peer.getPrivate());
    other.doPhase(x25519Mine.getPublic(), true);
    Sanity.check(Arrays.equals(x25519Agree(), other.generateSecret()), label + ": X25519 secrets differ");
    other = KeyAgreement.getInstance("ECDH", ec);
    other.init(p256Peer.getPrivate());
    other.doPhase(p256Mine.getPublic(), true);
    Sanity.check(Arrays.equals(p256Agree(), other.generateSecret()), label + ": ECDH secrets differ");
    Sanity.report(label + ": X25519/ECDH/ECDSA from " + x25519.getProvider().getName() + "/" + ecdh.getProvider().getName()
        + "/" + ecdsa.getProvider().getName() + ", RSA from " + rsa.getProvider().getName());
  }

  private static Provider required(String name) {
    Provider p = Security.getProvider(name);
    if (p == null) {
      throw new IllegalStateException("provider " + name + " is not installed");
    }
    return p;
  }

  @Benchmark
  public KeyPair x25519KeyGen() {
    return x25519.generateKeyPair();
  }

  @Benchmark
  public byte[] x25519Agree() throws GeneralSecurityException {
    x25519Agreement.init(x25519Mine.getPrivate());
    x25519Agreement.doPhase(x25519Peer.getPublic(), true);
    return x25519Agreement.generateSecret();
  }

  @Benchmark
  public KeyPair p256KeyGen() {
    return p256.generateKeyPair();
  }

  @Benchmark
  public byte[] p256Agree() throws GeneralSecurityException {
    ecdh.init(p256Mine.getPrivate());
    ecdh.doPhase(p256Peer.getPublic(), true);
    return ecdh.generateSecret();
  }

  @Benchmark
  public byte[] ecdsaP256Sign() throws GeneralSecurityException {
    ecdsa.initSign(ecdsaKeys.getPrivate());
    ecdsa.update(message);
    return ecdsa.sign();
  }

  @Benchmark
  public boolean ecdsaP256Verify() throws GeneralSecurityException {
    ecdsa.initVerify(ecdsaKeys.getPublic());
    ecdsa.update(message);
    return ecdsa.verify(ecdsaSignature);
  }

  @Benchmark
  public byte[] rsa2048Sign() throws GeneralSecurityException {
    rsa.initSign(rsaKeys.getPrivate());
    rsa.update(message);
    return rsa.sign();
  }

  @Benchmark
  public boolean rsa2048Verify() throws GeneralSecurityException {
    rsa.initVerify(rsaKeys.getPublic());
    rsa.update(message);
    return rsa.verify(rsaSignature);
  }
}
