package org.mailtls.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Turns the settings of one {@link HeldCertificate.Builder} (a {@link CertificateSpec}) into a
 * signed certificate: resolves defaults, rejects conflicting settings, writes the extensions and
 * signs with BouncyCastle.
 */
final class Minter {
  private static final Duration DEFAULT_VALIDITY = Duration.ofDays(1);
  private static final Duration BACKDATE = Duration.ofMinutes(1);

  private final CertificateSpec b;

  Minter(CertificateSpec b) {
    this.b = b;
  }

  HeldCertificate mint() {
    checkConflicts();
    if (b.random == null) {
      b.random = new SecureRandom();
    }
    KeyPair subjectKeys = b.keyPair != null ? b.keyPair
        : (b.keyType != null ? b.keyType : b.defaultKeyType).generate(b.random);
    KeyPair issuerKeys = b.issuer == null ? subjectKeys : b.issuer.keyPair();
    KeyType issuerType = KeyType.of(issuerKeys.getPublic());
    SignatureAlgorithm alg = b.signatureAlgorithm != null
        ? b.signatureAlgorithm : SignatureAlgorithm.defaultFor(issuerType);
    if (!alg.isCompatibleWith(issuerType)) {
      throw new IllegalStateException("signature algorithm " + alg
          + " cannot be made with the issuer's " + issuerType + " key");
    }
    X500Name subject = Names.subject(b.rdns, b.commonName);
    X500Name issuerName = b.issuer == null ? subject
        : X500Name.getInstance(b.issuer.certificate().getSubjectX500Principal().getEncoded());
    SubjectPublicKeyInfo spki =
        SubjectPublicKeyInfo.getInstance(subjectKeys.getPublic().getEncoded());
    Instant notBefore = b.notBefore != null ? b.notBefore : b.clock.instant().minus(BACKDATE);
    Instant notAfter = b.notAfter != null ? b.notAfter
        : notBefore.plus(b.validFor != null ? b.validFor : DEFAULT_VALIDITY);
    X509v3CertificateBuilder certBuilder = new X509v3CertificateBuilder(issuerName, serial(),
        Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS)),
        Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS)), subject, spki);
    try {
      addExtensions(certBuilder, subject, spki, KeyType.of(subjectKeys.getPublic()));
      ContentSigner signer = new JcaContentSignerBuilder(alg.jcaName())
          .setProvider(Bc.PROVIDER)
          .setSecureRandom(b.random)
          .build(issuerKeys.getPrivate());
      byte[] der = certBuilder.build(signer).getEncoded();
      List<X509Certificate> issuerChain = b.issuer == null ? List.of() : b.issuer.chain();
      return new HeldCertificate(parse(der), der, subjectKeys, issuerChain);
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException("BouncyCastle could not mint the certificate", e);
    }
  }

  private void checkConflicts() {
    conflict(b.rawSan != null && !b.sans.isEmpty(),
        "subjectAltNameExtensionRaw cannot be combined with add* SAN entries");
    conflict(b.sanCritical != null && b.rawSan == null && b.sans.isEmpty(),
        "criticalSubjectAltName was set but no SAN was added");
    conflict(b.notBefore != null && b.validFor != null, "validity and validFor both set");
    conflict(b.keyType != null && b.keyPair != null, "keyType and keyPair both set");
    conflict(b.extendedKeyUsage != null && b.noExtendedKeyUsage,
        "extendedKeyUsage and noExtendedKeyUsage both set");
    conflict(b.keyUsage != null && b.noKeyUsage, "keyUsage and noKeyUsage both set");
    conflict(b.caPathLength != null && Boolean.FALSE.equals(b.basicConstraintsCa),
        "certificateAuthority and basicConstraintsCa(false) both set");
    conflict(b.noBasicConstraints && (b.caPathLength != null || b.basicConstraintsCa != null),
        "noBasicConstraints conflicts with certificateAuthority/basicConstraintsCa");
  }

  private static void conflict(boolean conflicting, String message) {
    if (conflicting) {
      throw new IllegalStateException(message);
    }
  }

  private BigInteger serial() {
    if (b.serialNumber != null) {
      return b.serialNumber;
    }
    BigInteger serial;
    do {
      serial = new BigInteger(63, b.random);
    } while (serial.signum() == 0);
    return serial;
  }

  private void addExtensions(X509v3CertificateBuilder cb, X500Name subject,
      SubjectPublicKeyInfo spki, KeyType subjectType) throws IOException {
    boolean ca = b.caPathLength != null || Boolean.TRUE.equals(b.basicConstraintsCa);
    if (!b.noBasicConstraints) {
      BasicConstraints bc = b.caPathLength != null && b.caPathLength >= 0
          ? new BasicConstraints(b.caPathLength) : new BasicConstraints(ca);
      cb.addExtension(Extension.basicConstraints, true, bc);
    }
    if (!b.noKeyUsage) {
      int bits = b.keyUsage != null ? b.keyUsage
          : ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
          : KeyUsage.digitalSignature | (subjectType.isRsa() ? KeyUsage.keyEncipherment : 0);
      cb.addExtension(Extension.keyUsage, true, new KeyUsage(bits));
    }
    List<String> eku = b.noExtendedKeyUsage ? List.of()
        : b.extendedKeyUsage != null ? b.extendedKeyUsage
        : ca ? List.of() : List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    if (!eku.isEmpty()) {
      KeyPurposeId[] purposes = eku.stream()
          .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
          .toArray(KeyPurposeId[]::new);
      cb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
    }
    BcX509ExtensionUtils utils = new BcX509ExtensionUtils();
    if (ca) {
      cb.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(spki));
    }
    if (b.issuer != null) {
      SubjectPublicKeyInfo issuerSpki =
          SubjectPublicKeyInfo.getInstance(b.issuer.keyPair().getPublic().getEncoded());
      cb.addExtension(Extension.authorityKeyIdentifier, false,
          utils.createAuthorityKeyIdentifier(issuerSpki));
    }
    if (b.rawSan != null || !b.sans.isEmpty()) {
      boolean critical = b.sanCritical != null ? b.sanCritical : subject.getRDNs().length == 0;
      byte[] value = b.rawSan != null ? b.rawSan : b.sans.encode();
      cb.addExtension(new Extension(Extension.subjectAlternativeName, critical, value));
    }
    for (Object[] e : b.extraExtensions) {
      cb.addExtension(new Extension(new ASN1ObjectIdentifier((String) e[0]), (Boolean) e[1], (byte[]) e[2]));
    }
  }

  /** Parses with the JDK; falls back to BouncyCastle for certificates the JDK rejects. */
  static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException jdkRefused) {
      try {
        X509Certificate cert = (X509Certificate) CertificateFactory
            .getInstance("X.509", Bc.PROVIDER)
            .generateCertificate(new ByteArrayInputStream(der));
        if (cert == null) {
          throw new CertificateException("BouncyCastle returned no certificate");
        }
        return cert;
      } catch (CertificateException bcRefused) {
        bcRefused.addSuppressed(jdkRefused);
        throw new IllegalStateException("neither the JDK nor BouncyCastle can parse it", bcRefused);
      }
    }
  }
}
