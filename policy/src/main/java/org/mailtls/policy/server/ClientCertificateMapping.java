package org.mailtls.policy.server;

import java.security.cert.X509Certificate;

/**
 * How a server turns a client certificate into the authorization identity of SASL EXTERNAL
 * (R8314-S-16, RFC 8314 §4.2; the client side is R8314-C-35).
 *
 * <p>RFC 8314 §4.2: a server "MUST NOT request a client certificate" unless it is configured to
 * treat some client certificates as sufficient and can map them to an authorization identity. So
 * a mapping is always chosen explicitly by the operator, one of three kinds, and there is no default
 * that guesses an identity from whatever the certificate happens to carry:
 *
 * <ul>
 *   <li>{@link SpkiHashMapping}: a table from the SHA-256 of the certificate's SubjectPublicKeyInfo
 *       ({@code sha256/<base64>}, OkHttp's pin text form) to an identity; the certificate's names
 *       are not consulted at all.
 *   <li>{@link Rfc822NameMapping}: the certificate's single rfc822Name subjectAltName is the
 *       identity, optionally only for a set of mail domains.
 *   <li>{@link SubjectAttributeMapping}: the single value of one subject attribute (UID, CN, ...) is
 *       the identity.
 * </ul>
 *
 * <p>A mapping only names the identity. It must run after the client's chain was validated against
 * the server's trust anchors (the provider's trust manager does that ordering); with a CA the
 * server does not control, the rfc822Name and attribute mappings trust that CA to vouch for the
 * identity. {@link #map} never throws for a hostile certificate: what it cannot decode yields an
 * {@link MappingResult.Unmapped} with the reason.
 */
public sealed interface ClientCertificateMapping
    permits SpkiHashMapping, Rfc822NameMapping, SubjectAttributeMapping {

  /** Maps a validated client leaf certificate to an authorization identity, or says why not. */
  MappingResult map(X509Certificate leaf);

  /** A one-line description for logs and configuration dumps, e.g. {@code rfc822Name SAN in example.net}. */
  String describe();
}
