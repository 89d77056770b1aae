package org.mailtls.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutable settings a {@link HeldCertificate.Builder} collects; null means "not set, use the
 * default". Kept apart from the builder so that the public builder stays a thin, documented
 * facade and {@link Minter} reads plain fields.
 */
final class CertificateSpec {
  Clock clock = Clock.systemUTC();
  SecureRandom random;
  String commonName;
  final List<String[]> rdns = new ArrayList<>();
  final SanEncoder sans = new SanEncoder();
  byte[] rawSan;
  Boolean sanCritical;
  Instant notBefore;
  Instant notAfter;
  Duration validFor;
  KeyType keyType;
  KeyType defaultKeyType = KeyType.EC_P256;
  KeyPair keyPair;
  SignatureAlgorithm signatureAlgorithm;
  Integer caPathLength;
  Boolean basicConstraintsCa;
  boolean noBasicConstraints;
  List<String> extendedKeyUsage;
  boolean noExtendedKeyUsage;
  Integer keyUsage;
  boolean noKeyUsage;
  BigInteger serialNumber;
  HeldCertificate issuer;
  /** Extra extensions: {oid, Boolean critical, byte[] extnValue}. */
  final List<Object[]> extraExtensions = new ArrayList<>();
}
