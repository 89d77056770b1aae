package org.mailtls.policy.server;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.Immutable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a client certificate by the SHA-256 of its SubjectPublicKeyInfo, written as OkHttp writes
 * pins: {@code sha256/} followed by the standard Base64 (with padding) of the 32-byte hash.
 *
 * <p>Why by key: the operator enrols each client key explicitly, so nothing in the certificate's
 * names (which a CA, or the client itself for a self-signed certificate, chose) decides who the
 * client is. A re-issued certificate over the same key keeps its identity; a new key needs a new
 * entry.
 */
@Immutable
public final class SpkiHashMapping implements ClientCertificateMapping {
  private static final String PREFIX = "sha256/";

  private final ImmutableMap<String, String> table;

  private SpkiHashMapping(ImmutableMap<String, String> table) {
    this.table = table;
  }

  /** Starts an empty table. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The pin text of {@code certificate}'s key: {@code sha256/<base64 of SHA-256(SubjectPublicKeyInfo DER)>}.
   *
   * @throws IllegalArgumentException if the certificate's key cannot be encoded
   */
  public static String pinOf(X509Certificate certificate) {
    byte[] spki;
    try {
      spki = certificate.getPublicKey().getEncoded();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the certificate's public key cannot be read: " + e.getMessage(), e);
    }
    if (spki == null) {
      throw new IllegalArgumentException("the certificate's public key has no encoding");
    }
    try {
      return PREFIX + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The table, pin text to identity, in the order entries were added. */
  public ImmutableMap<String, String> table() {
    return table;
  }

  @Override
  public MappingResult map(X509Certificate leaf) {
    String pin;
    try {
      pin = pinOf(leaf);
    } catch (IllegalArgumentException e) {
      return MappingResult.unmapped(e.getMessage() + "; the SPKI mapping needs the key's hash");
    }
    String identity = table.get(pin);
    if (identity == null) {
      return MappingResult.unmapped("the certificate's key is " + pin + ", which is not among the " + table.size()
          + " keys of the SPKI mapping; enrol it with SpkiHashMapping.builder().add(\"" + pin + "\", identity)");
    }
    return MappingResult.mapped(identity, "SubjectPublicKeyInfo " + pin);
  }

  @Override
  public String describe() {
    return "SubjectPublicKeyInfo SHA-256 table of " + table.size() + " key" + (table.size() == 1 ? "" : "s");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpkiHashMapping && ((SpkiHashMapping) o).table.equals(table);
  }

  @Override
  public int hashCode() {
    return table.hashCode();
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Collects entries; each pin at most once. */
  public static final class Builder {
    private final Map<String, String> table = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds one key.
     *
     * @param pin {@code sha256/} and the canonical padded Base64 of 32 bytes (see {@link #pinOf})
     * @param identity the authorization identity for that key
     * @throws IllegalArgumentException naming the bad pin or identity, or a pin given twice
     */
    @CanIgnoreReturnValue
    public Builder add(String pin, String identity) {
      requireNonNull(pin, "pin");
      requireNonNull(identity, "identity");
      checkPin(pin);
      String problem = AuthorizationIdentities.problem(identity);
      if (problem != null) {
        throw new IllegalArgumentException("identity for " + pin + " is not usable: " + problem);
      }
      String previous = table.putIfAbsent(pin, identity);
      if (previous != null) {
        throw new IllegalArgumentException(pin + " is already mapped to \"" + AuthorizationIdentities.shown(previous)
            + "\"; one key maps to one identity");
      }
      return this;
    }

    private static void checkPin(String pin) {
      String fix = "; expected sha256/ and the Base64 of the SubjectPublicKeyInfo's SHA-256 (44 characters ending"
          + " in '='), as SpkiHashMapping.pinOf(certificate) prints it";
      if (!pin.startsWith(PREFIX)) {
        throw new IllegalArgumentException("\"" + AuthorizationIdentities.shown(pin) + "\" does not start with "
            + PREFIX + fix);
      }
      String b64 = pin.substring(PREFIX.length());
      byte[] hash;
      try {
        hash = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("\"" + AuthorizationIdentities.shown(pin) + "\" is not Base64" + fix, e);
      }
      if (hash.length != 32 || !Base64.getEncoder().encodeToString(hash).equals(b64)) {
        throw new IllegalArgumentException("\"" + AuthorizationIdentities.shown(pin) + "\" is not the canonical"
            + " Base64 of 32 bytes" + fix);
      }
    }

    /**
     * Builds the mapping.
     *
     * @throws IllegalStateException if no key was added: a server with an empty table must not
     *     request client certificates at all (R8314-S-16)
     */
    public SpkiHashMapping build() {
      if (table.isEmpty()) {
        throw new IllegalStateException("the SPKI mapping has no entry; add at least one key, or configure no client"
            + " certificate mapping (then the server must not request client certificates, R8314-S-16)");
      }
      return new SpkiHashMapping(ImmutableMap.copyOf(table));
    }
  }
}
