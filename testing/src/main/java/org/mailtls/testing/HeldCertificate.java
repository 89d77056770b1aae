package org.mailtls.testing;

import static org.mailtls.testing.Checks.argument;
import static org.mailtls.testing.Checks.notNull;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A certificate together with its key pair, in the style of OkHttp's {@code HeldCertificate}:
 * tests mint whole PKIs in memory with {@link #builder()} instead of checking in key stores. Each
 * instance remembers its issuers' chain, so key stores and path validators can be fed directly.
 * Immutable.
 */
public final class HeldCertificate {
  private final X509Certificate certificate;
  private final KeyPair keyPair;
  private final byte[] der;
  private final List<X509Certificate> chain;

  HeldCertificate(X509Certificate certificate, byte[] der, KeyPair keyPair,
      List<X509Certificate> issuerChain) {
    this.certificate = certificate;
    this.der = der.clone();
    this.keyPair = keyPair;
    this.chain = Stream.concat(Stream.of(certificate), issuerChain.stream()).toList();
  }

  /** Starts a builder for a new certificate; without further settings a self-signed EC leaf. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The certificate as the JDK parses it; BouncyCastle's parse if the JDK rejects a hostile one.
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The DER encoding of {@link #certificate()}; a fresh copy on each call. */
  public byte[] certificateDer() {
    return der.clone();
  }

  /** The subject's key pair; the public half is the one in the certificate. */
  public KeyPair keyPair() {
    return keyPair;
  }

  /** The subject's private key, for key stores and for signing certificates it issues. */
  public PrivateKey privateKey() {
    return keyPair.getPrivate();
  }

  /** The type of the subject key, which decides the default signature of certificates it issues. */
  public KeyType keyType() {
    return KeyType.of(keyPair.getPublic());
  }

  /** The certificate as a PEM {@code CERTIFICATE} block, for configs and log output. */
  public String certificatePem() {
    return Pem.encode("CERTIFICATE", der);
  }

  /** The private key as a PEM {@code PRIVATE KEY} block (unencrypted PKCS#8). */
  public String privateKeyPkcs8Pem() {
    return Pem.encode("PRIVATE KEY", privateKey().getEncoded());
  }

  /** This certificate, then its issuers up to and including the root it was built from. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The subject DN and serial, for test failure messages. */
  @Override
  public String toString() {
    return certificate.getSubjectX500Principal() + " #" + certificate.getSerialNumber();
  }

  /**
   * Configures and mints one {@link HeldCertificate}. Setters throw IllegalArgumentException
   * naming a bad value; {@link #build()} throws IllegalStateException on contradicting settings.
   * Reusable: each build mints a new certificate (and key, unless one was given). Default shape,
   * WebPKI-normal: a leaf gets critical basicConstraints CA:FALSE, critical keyUsage
   * digitalSignature (+keyEncipherment for RSA), EKU serverAuth+clientAuth, and an
   * authorityKeyIdentifier when not self-signed; a CA gets critical CA:TRUE, critical keyUsage
   * keyCertSign+cRLSign, a subjectKeyIdentifier and no EKU.
   */
  public static final class Builder {
    final CertificateSpec spec = new CertificateSpec();

    Builder() {}

    /** The clock validity is computed from (default {@link Clock#systemUTC()}). */
    public Builder clock(Clock clock) {
      spec.clock = notNull(clock, "clock");
      return this;
    }

    /** The source of key, serial and signature randomness (default a new SecureRandom). */
    public Builder random(SecureRandom random) {
      spec.random = notNull(random, "random");
      return this;
    }

    /** The subject CN, encoded last in the DN; without CN or RDNs the subject is empty. */
    public Builder subjectCommonName(String cn) {
      spec.commonName = notNull(cn, "cn");
      return this;
    }

    /**
     * Appends a subject RDN, by dotted OID or BouncyCastle short name ("O", "DC", "E", ...).
     * RDNs are encoded in call order, before the CN; the value encoding follows BCStyle.
     */
    public Builder subjectRdn(String oidOrShortName, String value) {
      Names.attributeOid(oidOrShortName); // validates now, resolved again at build
      spec.rdns.add(new String[] {oidOrShortName, notNull(value, "value")});
      return this;
    }

    /** Adds a dNSName SAN verbatim (UTF-8 bytes in an IA5String), never validated. */
    public Builder addDnsName(String name) {
      spec.sans.dnsName(notNull(name, "name"));
      return this;
    }

    /** Adds an iPAddress SAN from an IPv4 (4 octets) or IPv6 (16 octets) literal. */
    public Builder addIpAddress(String literal) {
      spec.sans.ipAddress(literal);
      return this;
    }

    /** Adds an iPAddress SAN of any octet length, for hostile-input tests. */
    public Builder addIpAddressOctets(byte[] octets) {
      spec.sans.ipAddressOctets(notNull(octets, "octets"));
      return this;
    }

    /** Adds an RFC 4985 SRVName otherName ({@code _service.domain}) with an IA5String value. */
    public Builder addSrvName(String srvName) {
      spec.sans.srvName(notNull(srvName, "srvName"));
      return this;
    }

    /** Adds an SRVName otherName whose value is a UTF8String, for leniency/negative tests. */
    public Builder addSrvNameUtf8(String srvName) {
      spec.sans.srvNameUtf8(notNull(srvName, "srvName"));
      return this;
    }

    /** Adds an otherName; {@code valueDer} goes verbatim inside the [0] EXPLICIT wrapper. */
    public Builder addOtherName(String oid, byte[] valueDer) {
      spec.sans.otherName(oid, notNull(valueDer, "valueDer"));
      return this;
    }

    /** Adds a uniformResourceIdentifier SAN verbatim. */
    public Builder addUri(String uri) {
      spec.sans.uri(notNull(uri, "uri"));
      return this;
    }

    /** Adds an rfc822Name (email address) SAN verbatim. */
    public Builder addRfc822Name(String email) {
      spec.sans.rfc822Name(notNull(email, "email"));
      return this;
    }

    /** Appends one complete GeneralName DER verbatim to the SAN SEQUENCE (may be malformed). */
    public Builder addSanRaw(byte[] generalNameDer) {
      spec.sans.raw(notNull(generalNameDer, "generalNameDer"));
      return this;
    }

    /** Uses these bytes verbatim as the whole SAN extnValue; conflicts with the add* methods. */
    public Builder subjectAltNameExtensionRaw(byte[] extnValueDer) {
      spec.rawSan = notNull(extnValueDer, "extnValueDer").clone();
      return this;
    }

    /**
     * Adds an extension verbatim (for example a name-constraints extension built with BouncyCastle's
     * {@code NameConstraints}); it must not be one the builder adds itself.
     */
    public Builder addExtensionRaw(String oid, boolean critical, byte[] extnValueDer) {
      spec.extraExtensions.add(new Object[] {notNull(oid, "oid"), critical, notNull(extnValueDer, "extnValueDer").clone()});
      return this;
    }

    /** Marks the SAN extension critical or not; default critical iff the subject is empty. */
    public Builder criticalSubjectAltName(boolean critical) {
      spec.sanCritical = critical;
      return this;
    }

    /** Fixed validity (whole seconds); conflicts with {@link #validFor}. */
    public Builder validity(Instant notBefore, Instant notAfter) {
      argument(!notNull(notAfter, "notAfter").isBefore(notNull(notBefore, "notBefore")),
          "notAfter " + notAfter + " is before notBefore " + notBefore);
      spec.notBefore = notBefore;
      spec.notAfter = notAfter;
      return this;
    }

    /** Validity from one minute before {@code clock.instant()} for {@code d} (default 1 day). */
    public Builder validFor(Duration d) {
      argument(d != null && !d.isNegative() && !d.isZero(), "duration must be positive: " + d);
      spec.validFor = d;
      return this;
    }

    /** Generates a fresh key of this type (default EC_P256); conflicts with {@link #keyPair}. */
    public Builder keyType(KeyType type) {
      spec.keyType = notNull(type, "type");
      return this;
    }

    /** Reuses an existing key pair (type inferred); conflicts with {@link #keyType}. */
    public Builder keyPair(KeyPair pair) {
      KeyType.of(notNull(pair, "pair").getPublic());
      argument(pair.getPrivate() != null, "key pair has no private key: " + pair);
      spec.keyPair = pair;
      return this;
    }

    /** The issuer's signature algorithm; must suit the issuer key, checked at build. */
    public Builder signatureAlgorithm(SignatureAlgorithm alg) {
      spec.signatureAlgorithm = notNull(alg, "alg");
      return this;
    }

    /** Makes this a CA: basicConstraints CA:TRUE with pathLen (-1 for none), CA keyUsage. */
    public Builder certificateAuthority(int maxPathLength) {
      argument(maxPathLength >= -1, "maxPathLength must be >= -1: " + maxPathLength);
      spec.caPathLength = maxPathLength;
      return this;
    }

    /** Writes basicConstraints with this cA flag (no pathLen); true also selects CA defaults. */
    public Builder basicConstraintsCa(boolean ca) {
      spec.basicConstraintsCa = ca;
      return this;
    }

    /** Omits basicConstraints entirely (non-conforming for CAs; for negative tests). */
    public Builder noBasicConstraints() {
      spec.noBasicConstraints = true;
      return this;
    }

    /** Writes exactly these extendedKeyUsage purpose OIDs (non-critical). */
    public Builder extendedKeyUsage(String... oids) {
      argument(oids != null && oids.length > 0, "extendedKeyUsage needs at least one OID");
      Arrays.stream(oids).forEach(SanEncoder::oidDer);
      spec.extendedKeyUsage = List.of(oids);
      return this;
    }

    /** Omits extendedKeyUsage (the default for CAs only). */
    public Builder noExtendedKeyUsage() {
      spec.noExtendedKeyUsage = true;
      return this;
    }

    /** Writes exactly these {@code org.bouncycastle.asn1.x509.KeyUsage} bits (critical). */
    public Builder keyUsage(int bcKeyUsageBits) {
      argument(bcKeyUsageBits > 0 && (bcKeyUsageBits & ~0x80FF) == 0,
          "not a set of KeyUsage bits: 0x" + Integer.toHexString(bcKeyUsageBits));
      spec.keyUsage = bcKeyUsageBits;
      return this;
    }

    /** Omits keyUsage entirely. */
    public Builder noKeyUsage() {
      spec.noKeyUsage = true;
      return this;
    }

    /** The serial (default random positive 63-bit); zero and negative are allowed on purpose. */
    public Builder serialNumber(BigInteger serial) {
      spec.serialNumber = notNull(serial, "serial");
      return this;
    }

    /** The issuer whose key signs this certificate (default: self-signed). */
    public Builder signedBy(HeldCertificate issuer) {
      spec.issuer = notNull(issuer, "issuer");
      return this;
    }

    /** Mints the certificate. @throws IllegalStateException on conflicting settings */
    public HeldCertificate build() {
      return new Minter(spec).mint();
    }
  }
}
