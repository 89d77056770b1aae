package org.mailtls.policy.identity;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.Immutable;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Sequence;
import org.jspecify.annotations.Nullable;

/**
 * The identifiers a server certificate presents, parsed once from the leaf (RFC 9525 §6.3–6.5).
 *
 * <p>Usable entries are kept in certificate order, normalized to ASCII lower case; invalid ones
 * are kept aside as {@link IgnoredIdentifier}s with the reason, so a mismatch message can show
 * both. Hostile input never escapes as an exception: an unparsable subjectAltName becomes {@link
 * #subjectAltNameError()}, and a certificate with more entries than the cap is examined only up to
 * the cap, which {@link #truncated()} reports.
 */
@Immutable
public final class PresentedIdentifiers {
  /** subjectAltName, RFC 5280 §4.2.1.6. */
  static final String SUBJECT_ALT_NAME_OID = "2.5.29.17";

  private final ImmutableList<PresentedIdentifier> subjectAltNames;
  private final ImmutableList<PresentedIdentifier.Cn> commonNames;
  private final ImmutableList<IgnoredIdentifier> ignored;
  private final boolean hasSubjectAltName;
  private final boolean hasIdentifierTypeEntry;
  private final @Nullable String subjectAltNameError;
  private final int subjectAltNameEntries;
  private final int examinedEntries;

  private PresentedIdentifiers(Collector c) {
    this.subjectAltNames = ImmutableList.copyOf(c.sans);
    this.commonNames = ImmutableList.copyOf(c.commonNames);
    this.ignored = ImmutableList.copyOf(c.ignored);
    this.hasSubjectAltName = c.hasSubjectAltName;
    this.hasIdentifierTypeEntry = c.hasIdentifierTypeEntry;
    this.subjectAltNameError = c.sanError;
    this.subjectAltNameEntries = c.sanEntries;
    this.examinedEntries = c.examined;
  }

  /**
   * Parses the leaf's subjectAltName and subject CNs, examining at most {@code maxEntries}
   * subjectAltName entries.
   */
  public static PresentedIdentifiers from(X509Certificate leaf, int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    Collector c = new Collector();
    byte[] ext = leaf.getExtensionValue(SUBJECT_ALT_NAME_OID);
    if (ext != null) {
      c.hasSubjectAltName = true;
      try {
        ASN1Sequence seq = SubjectAltNameParser.decodeGeneralNames(SubjectAltNameParser.unwrapExtensionOctets(ext));
        c.sanEntries = seq.size();
        List<ASN1Encodable> entries = SubjectAltNameParser.firstEntries(seq, maxEntries);
        c.examined = entries.size();
        for (ASN1Encodable entry : entries) {
          SubjectAltNameParser.decodeEntry(entry, c);
        }
      } catch (IllegalArgumentException e) {
        c.sanError = e.getMessage();
      }
    }
    SubjectCommonNames.collect(leaf, c);
    return new PresentedIdentifiers(c);
  }

  /** Parses with the default cap, {@link IdentityPolicy#DEFAULT_MAX_SUBJECT_ALT_NAMES}. */
  public static PresentedIdentifiers from(X509Certificate leaf) {
    return from(leaf, IdentityPolicy.DEFAULT_MAX_SUBJECT_ALT_NAMES);
  }

  /** The usable subjectAltName identifiers (dNSName, SRVName, iPAddress) in certificate order. */
  public ImmutableList<PresentedIdentifier> subjectAltNames() {
    return subjectAltNames;
  }

  /** Subject CNs that are valid host names: candidates for legacy CN-ID matching only. */
  public ImmutableList<PresentedIdentifier.Cn> commonNames() {
    return commonNames;
  }

  /** Entries set aside, with reasons. */
  public ImmutableList<IgnoredIdentifier> ignored() {
    return ignored;
  }

  /** True when the certificate carries a subjectAltName extension, parsable or not. */
  public boolean hasSubjectAltName() {
    return hasSubjectAltName;
  }

  /**
   * True when legacy CN-ID matching is forbidden for this certificate because it has a
   * subjectAltName identifier of a supported type: a dNSName, iPAddress, SRVName or URI entry, valid
   * or not, or a subjectAltName that could not be parsed at all (SI-20, fail closed).
   */
  public boolean hasSubjectAltNameIdentifier() {
    return hasIdentifierTypeEntry || subjectAltNameError != null;
  }

  /** Why the subjectAltName extension could not be parsed, if it could not. */
  public Optional<String> subjectAltNameError() {
    return Optional.ofNullable(subjectAltNameError);
  }

  /** True when the certificate had more subjectAltName entries than were examined. */
  public boolean truncated() {
    return examinedEntries < subjectAltNameEntries;
  }

  /** How many subjectAltName entries the certificate has. */
  public int subjectAltNameEntryCount() {
    return subjectAltNameEntries;
  }

  /** How many subjectAltName entries were examined (at most the cap). */
  public int examinedEntryCount() {
    return examinedEntries;
  }

  @Override
  public String toString() {
    return "PresentedIdentifiers{san=" + subjectAltNames + ", cn=" + commonNames + ", ignored=" + ignored.size()
        + (subjectAltNameError != null ? ", sanError=" + subjectAltNameError : "")
        + (truncated() ? ", examined " + examinedEntries + " of " + subjectAltNameEntries : "") + "}";
  }

  /** Mutable accumulator used while parsing; confined to one {@code from} call. */
  static final class Collector {
    final List<PresentedIdentifier> sans = new ArrayList<>();
    final List<PresentedIdentifier.Cn> commonNames = new ArrayList<>();
    final List<IgnoredIdentifier> ignored = new ArrayList<>();
    boolean hasSubjectAltName;
    boolean hasIdentifierTypeEntry;
    @Nullable String sanError;
    int sanEntries;
    int examined;

    void ignore(String kind, String value, String reason, boolean identifierType) {
      ignored.add(new IgnoredIdentifier(kind, value, reason));
      hasIdentifierTypeEntry |= identifierType;
    }

    void dnsName(byte[] raw) {
      hasIdentifierTypeEntry = true;
      if (!HostSyntax.isVisibleAscii(raw)) {
        ignore("dNSName", Printable.of(raw), "not printable ASCII; presented names must be A-labels (RFC 9525 §6.3)", true);
        return;
      }
      String name = HostSyntax.asciiLowerCase(Printable.ascii(raw));
      String reason = PresentedNameRules.checkHostName(name);
      if (reason != null) {
        ignore("dNSName", Printable.of(raw), reason, true);
        return;
      }
      sans.add(new PresentedIdentifier.Dns(name, name.startsWith("*.")));
    }

    void ipAddress(byte[] raw) {
      hasIdentifierTypeEntry = true;
      if (raw.length != 4 && raw.length != 16) {
        ignore("iPAddress", raw.length + " octets", "an iPAddress identifier has 4 or 16 octets (RFC 5280 §4.2.1.6)", true);
        return;
      }
      sans.add(new PresentedIdentifier.Ip(IpAddress.ofOctets(raw)));
    }

    void srvName(byte[] raw) {
      hasIdentifierTypeEntry = true;
      if (!HostSyntax.isVisibleAscii(raw)) {
        ignore("SRVName", Printable.of(raw), "not printable ASCII; the domain must be in A-label form (RFC 4985 §2)", true);
        return;
      }
      try {
        sans.add(PresentedNameRules.parseSrvName(HostSyntax.asciiLowerCase(Printable.ascii(raw))));
      } catch (IllegalArgumentException e) {
        ignore("SRVName", Printable.of(raw), e.getMessage(), true);
      }
    }

    void commonName(PresentedIdentifier.Cn cn) {
      commonNames.add(cn);
    }
  }
}
