package org.mailtls.policy.server;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.Immutable;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;

/**
 * Maps a client certificate by one attribute of its subject name, for example the LDAP user id
 * (UID, {@value #UID}) or the common name (CN, {@value #CN}): the subject must hold exactly one
 * value of that attribute, and that value becomes the authorization identity.
 *
 * <p>Why exactly one: a subject with two UIDs names two users, and choosing one would be a guess
 * (fail closed). The value must be a directory string; it is taken as decoded, with no case folding,
 * and refused when it is empty, has surrounding white space or control characters.
 */
@Immutable
public final class SubjectAttributeMapping implements ClientCertificateMapping {
  /** userid, RFC 4519 §2.39. */
  public static final String UID = "0.9.2342.19200300.100.1.1";

  /** commonName, RFC 4519 §2.3. */
  public static final String CN = "2.5.4.3";

  private final String oid;

  private SubjectAttributeMapping(String oid) {
    this.oid = oid;
  }

  /**
   * A mapping by the attribute with this dotted OID, e.g. {@link #UID} or {@link #CN}.
   *
   * @throws IllegalArgumentException if {@code oid} is not a dotted object identifier
   */
  public static SubjectAttributeMapping of(String oid) {
    requireNonNull(oid, "oid");
    try {
      return new SubjectAttributeMapping(new ASN1ObjectIdentifier(oid).getId());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + AuthorizationIdentities.shown(oid) + "\" is not a dotted OID; use for"
          + " example SubjectAttributeMapping.UID (" + UID + ") or SubjectAttributeMapping.CN (" + CN + ")", e);
    }
  }

  /** The attribute's dotted OID. */
  public String oid() {
    return oid;
  }

  @Override
  public MappingResult map(X509Certificate leaf) {
    ImmutableList<CertificateFields.Attribute> attributes;
    try {
      attributes = CertificateFields.subjectAttributes(leaf);
    } catch (IllegalArgumentException e) {
      return MappingResult.unmapped(e.getMessage() + "; the mapping needs its " + name() + " attribute");
    }
    List<CertificateFields.Attribute> values = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (CertificateFields.Attribute a : attributes) {
      present.add(a.typeName());
      if (a.type().getId().equals(oid)) {
        values.add(a);
      }
    }
    String has = present.isEmpty() ? "an empty subject" : "subject attributes " + String.join(", ", present);
    if (values.size() != 1) {
      return MappingResult.unmapped("the certificate has " + has + "; the mapping needs exactly one " + name()
          + " attribute, not " + values.size());
    }
    if (!(values.get(0).value() instanceof ASN1String)) {
      return MappingResult.unmapped("the " + name() + " attribute is not a directory string");
    }
    String value;
    try {
      value = ((ASN1String) values.get(0).value()).getString();
    } catch (RuntimeException e) {
      return MappingResult.unmapped("the " + name() + " attribute cannot be decoded as a string");
    }
    String problem = AuthorizationIdentities.problem(value);
    if (problem != null) {
      return MappingResult.unmapped("the " + name() + " attribute is not a usable identity: " + problem);
    }
    return MappingResult.mapped(value, "subject " + name());
  }

  private String name() {
    String display = CertificateFields.displayName(new ASN1ObjectIdentifier(oid));
    return display.equals(oid) ? oid : display + " (" + oid + ")";
  }

  @Override
  public String describe() {
    return "subject attribute " + name();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubjectAttributeMapping && ((SubjectAttributeMapping) o).oid.equals(oid);
  }

  @Override
  public int hashCode() {
    return oid.hashCode();
  }

  @Override
  public String toString() {
    return describe();
  }
}
