package org.mailtls.provider;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A bounded memory of certificate chains that passed MailTLS's chain checks (RFC 5280 path to a
 * trust anchor, key and signature floors, extended key usage), so that a peer seen before (the
 * normal case: a client talks to the same few servers all day, a server sees the same client
 * certificates) is not validated from scratch on every handshake (issue #8).
 *
 * <p>What makes a hit safe:
 *
 * <ul>
 *   <li>The key is a SHA-256 over everything the chain outcome depends on: the exact DER bytes of
 *       every presented certificate in order, the required extended key usage, and the validator's
 *       fingerprint (the trust-anchor set, the revocation mode and the maximum chain length). A
 *       context with other anchors or another policy computes other keys, so it never sees these
 *       entries: changing anchors or policy drops the cache for that context.
 *   <li>An entry records the validity window of the path that was built (latest {@code notBefore},
 *       earliest {@code notAfter}, anchor included) and is only a hit while the caller's clock is
 *       inside it: it never outlives the first certificate of the chain to expire.
 *   <li>Only successes are stored, and only when no revocation status was consulted (revocation
 *       {@code NONE}, or stapled OCSP with nothing stapled); a handshake that brings a stapled OCSP
 *       response or a policy that requires status always validates in full.
 *   <li>Identity is not in here: host names, SRV-IDs and pins are checked on every handshake after
 *       the chain outcome, hit or miss (R7817-C-01).
 * </ul>
 *
 * <p>One cache serves every MailTLS context in the JVM ({@link #shared()}): with one context per
 * account, accounts that talk to the same server share its validated chain.
 */
final class ValidatedChainCache {
  /** Entries at most: about 100 bytes each, so the cache stays well under a megabyte. */
  static final int DEFAULT_MAXIMUM_SIZE = 4_096;
  private static final ValidatedChainCache SHARED = new ValidatedChainCache(DEFAULT_MAXIMUM_SIZE);

  /** Where a validated chain stays valid: both ends inclusive, as RFC 5280 §4.1.2.5 reads validity. */
  record Window(Instant notBefore, Instant notAfter) {
    boolean contains(Instant now) {
      return !now.isBefore(notBefore) && !now.isAfter(notAfter);
    }

    /** The intersection of the validity periods of the given certificates. */
    static Window of(List<X509Certificate> certificates) {
      Instant from = Instant.MIN;
      Instant to = Instant.MAX;
      for (X509Certificate c : certificates) {
        Instant nb = c.getNotBefore().toInstant();
        Instant na = c.getNotAfter().toInstant();
        from = nb.isAfter(from) ? nb : from;
        to = na.isBefore(to) ? na : to;
      }
      return new Window(from, to);
    }
  }

  private final Cache<HashCode, Window> entries;
  private final int maximumSize;
  private final LongAdder hits = new LongAdder();

  ValidatedChainCache(int maximumSize) {
    if (maximumSize < 1) {
      throw new IllegalArgumentException("maximumSize must be positive: " + maximumSize);
    }
    this.maximumSize = maximumSize;
    this.entries = CacheBuilder.newBuilder().maximumSize(maximumSize).build();
  }

  static ValidatedChainCache shared() {
    return SHARED;
  }

  /**
   * The key for a presented chain, or null when a certificate cannot be encoded (then the chain is
   * validated in full, never looked up: doubt means no shortcut).
   */
  static @Nullable HashCode key(List<X509Certificate> presented, String requiredEku, HashCode validatorFingerprint) {
    Hasher h = Hashing.sha256().newHasher();
    h.putBytes(validatorFingerprint.asBytes());
    h.putInt(requiredEku.length()).putString(requiredEku, StandardCharsets.US_ASCII);
    h.putInt(presented.size());
    try {
      for (X509Certificate c : presented) {
        byte[] der = c.getEncoded();
        h.putInt(der.length).putBytes(der);
      }
    } catch (CertificateEncodingException | RuntimeException e) {
      return null;
    }
    return h.hash();
  }

  /** True when {@code key} was validated before and {@code now} is inside that path's validity. */
  boolean isValidated(HashCode key, Instant now) {
    Window w = entries.getIfPresent(key);
    if (w == null) {
      return false;
    }
    if (!w.contains(now)) {
      entries.invalidate(key);
      return false;
    }
    hits.increment();
    return true;
  }

  void recordValidated(HashCode key, Window window) {
    entries.put(key, window);
  }

  long size() {
    entries.cleanUp();
    return entries.size();
  }

  int maximumSize() {
    return maximumSize;
  }

  /** Lookups answered from the cache since it was made (for tests and benchmark sanity checks). */
  long hits() {
    return hits.sum();
  }

  void clear() {
    entries.invalidateAll();
  }
}
