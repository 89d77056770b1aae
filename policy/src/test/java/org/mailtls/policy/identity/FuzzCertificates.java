package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import java.util.Random;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.mailtls.testing.HeldCertificate;

/**
 * Shared fixtures for the property and fuzz tests of the identity engine: one reused key pair
 * (key generation per try would dominate the run time), a tiny DER writer for hostile
 * GeneralNames, and the invariants every parse and every match result must satisfy whatever the
 * certificate holds (B.5 hygiene: hostile input never escapes as an exception, every entry is
 * either usable or ignored with a reason, messages are escaped and bounded).
 */
final class FuzzCertificates {
  /** One P-256 key pair for every certificate minted by the property tests. */
  static final KeyPair KEY_PAIR = generateKeyPair();

  /** The bound the brief puts on any {@link IdentityMatch#message()}, in UTF-8 bytes. */
  static final int MAX_MESSAGE_BYTES = 200_000;

  /** Printable.MAX_CHARS, one escape that crossed it, and the "...(N bytes)" tail. */
  static final int MAX_IGNORED_VALUE_CHARS = 160;

  static final int TAG_DNS_NAME = 0x82;
  static final int TAG_IP_ADDRESS = 0x87;
  static final int TAG_OTHER_NAME = 0xA0;
  static final int TAG_EXPLICIT_0 = 0xA0;
  static final int TAG_IA5_STRING = 0x16;
  static final int TAG_SEQUENCE = 0x30;
  static final String SRV_NAME_OID = "1.3.6.1.5.5.7.8.7";

  private static final IdentityPolicy LEGACY_CN = IdentityPolicy.builder().legacyCommonName(true).build();
  private static final IdentityPolicy BUNDLES = IdentityPolicy.builder().srvServiceBundles(true).build();

  private FuzzCertificates() {}

  private static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate builder that reuses {@link #KEY_PAIR}. */
  static HeldCertificate.Builder builder() {
    return HeldCertificate.builder().keyPair(KEY_PAIR);
  }

  /** A leaf presenting exactly these dNSNames (verbatim, unvalidated). */
  static X509Certificate withDnsNames(String... names) {
    HeldCertificate.Builder b = builder();
    for (String n : names) {
      b.addDnsName(n);
    }
    return b.build().certificate();
  }

  // ---------------------------------------------------------------- DER

  /** One DER TLV with a one-byte tag; the contents are concatenated. */
  static byte[] tlv(int tag, byte[]... contents) {
    return org.mailtls.testing.Der.tlv(tag, contents);
  }

  /** A dNSName GeneralName holding exactly these bytes. */
  static byte[] dnsNameEntry(byte[] raw) {
    return tlv(TAG_DNS_NAME, raw);
  }

  /** An IA5String TLV of these bytes (not checked to be IA5). */
  static byte[] ia5(byte[] raw) {
    return tlv(TAG_IA5_STRING, raw);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The extnValue bytes (the content of the OCTET STRING) of a certificate's subjectAltName. */
  static byte[] subjectAltNameExtnValue(X509Certificate cert) {
    byte[] wrapped = cert.getExtensionValue(PresentedIdentifiers.SUBJECT_ALT_NAME_OID);
    if (wrapped == null) {
      throw new IllegalStateException("no subjectAltName in " + cert.getSubjectX500Principal());
    }
    try {
      return ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(wrapped)).getOctets();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An oracle independent of the engine's parser: true when the bytes are one BER/DER SEQUENCE
   * with at least one element and nothing after it, as BouncyCastle reads them.
   */
  static boolean decodesAsNonEmptySequence(byte[] extnValue) {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(extnValue);
      return p instanceof ASN1Sequence && ((ASN1Sequence) p).size() > 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- strings

  /** Flips the case of ASCII letters, each with probability 1/2, driven by {@code seed}. */
  static String flipAsciiCase(String s, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      sb.append(letter && r.nextBoolean() ? (char) (c ^ 0x20) : c);
    }
    return sb.toString();
  }

  /** True when {@link DnsName#parse} accepts {@code s}. */
  static boolean parses(String s) {
    try {
      DnsName.parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static ReferenceIdentities dnsRef(String name) {
    return ReferenceIdentities.of(java.util.List.of(new ReferenceIdentity.DnsId(DnsName.parse(name), ReferenceSource.EXPLICIT)));
  }

  static ReferenceIdentities ipRef(byte[] octets) {
    return ReferenceIdentities.of(java.util.List.of(new ReferenceIdentity.IpId(IpAddress.ofOctets(octets), ReferenceSource.EXPLICIT)));
  }

  // ---------------------------------------------------------------- invariants

  /**
   * Parses and matches {@code cert} under the strict, legacy-CN and bundle policies and checks
   * every invariant; returns the parse for further checks. Any exception fails the property.
   */
  static PresentedIdentifiers checkAll(ReferenceIdentities refs, X509Certificate cert) {
    PresentedIdentifiers p = PresentedIdentifiers.from(cert);
    checkPresented(p, cert);
    for (IdentityPolicy policy : new IdentityPolicy[] {IdentityPolicy.strict(), LEGACY_CN, BUNDLES}) {
      IdentityMatch m = IdentityMatcher.of(policy).match(refs, cert);
      checkMessage(m);
      checkFailClosed(m, p);
    }
    return p;
  }

  /** SI-20 / B.5: a CN never stands in when the SAN has an identifier entry or is unreadable. */
  static void checkFailClosed(IdentityMatch m, PresentedIdentifiers p) {
    if (p.subjectAltNameError().isPresent()) {
      assertFalse(m.isMatch(), () -> "matched although the subjectAltName is unreadable: " + m.message());
    }
    if (m instanceof IdentityMatch.Matched && ((IdentityMatch.Matched) m).kind() == MatchKind.LEGACY_COMMON_NAME) {
      assertFalse(p.hasSubjectAltNameIdentifier(), () -> "legacy CN used despite SAN identifiers: " + p);
    }
  }

  /** Every examined SAN entry is either usable or ignored; usable ones obey the syntax rules. */
  static void checkPresented(PresentedIdentifiers p, X509Certificate cert) {
    boolean hasExtension = cert.getExtensionValue(PresentedIdentifiers.SUBJECT_ALT_NAME_OID) != null;
    assertEquals(hasExtension, p.hasSubjectAltName());
    long ignoredSanEntries = p.ignored().stream().filter(i -> !i.kind().startsWith("subject")).count();
    if (p.subjectAltNameError().isPresent()) {
      assertTrue(p.hasSubjectAltNameIdentifier(), "an unreadable SAN must disable CN fallback (fail closed)");
      assertTrue(p.subjectAltNames().isEmpty(), p::toString);
      assertEquals(0, ignoredSanEntries, p::toString);
      assertSafeText(p.subjectAltNameError().get(), 2_000);
    } else {
      assertEquals(p.examinedEntryCount(), p.subjectAltNames().size() + ignoredSanEntries,
          () -> "each examined entry must be usable or ignored exactly once: " + p + " ignored=" + p.ignored());
    }
    assertTrue(p.examinedEntryCount() <= p.subjectAltNameEntryCount());
    for (PresentedIdentifier id : p.subjectAltNames()) {
      if (id instanceof PresentedIdentifier.Dns) {
        PresentedIdentifier.Dns d = (PresentedIdentifier.Dns) id;
        assertUsableHostName(d.name(), d.wildcard());
        assertTrue(p.hasSubjectAltNameIdentifier());
      } else if (id instanceof PresentedIdentifier.Srv) {
        PresentedIdentifier.Srv s = (PresentedIdentifier.Srv) id;
        assertTrue(s.service().matches("[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?"), s::toString);
        assertUsableHostName(s.domain(), false);
      } else if (id instanceof PresentedIdentifier.Ip) {
        int n = ((PresentedIdentifier.Ip) id).address().octets().length;
        assertTrue(n == 4 || n == 16, id::toString);
      } else {
        fail("unexpected SAN identifier type " + id);
      }
      assertSafeText(id.toString(), 400);
    }
    for (PresentedIdentifier.Cn cn : p.commonNames()) {
      assertUsableHostName(cn.name(), cn.wildcard());
    }
    for (IgnoredIdentifier i : p.ignored()) {
      assertSafeText(i.kind(), 200);
      assertSafeText(i.value(), MAX_IGNORED_VALUE_CHARS);
      assertSafeText(i.reason(), 2_000);
      assertFalse(i.reason().isEmpty(), i::toString);
    }
    assertSafeText(p.toString(), Integer.MAX_VALUE);
  }

  /** Independent restatement of the presented-name syntax (B.5 hygiene), not the engine's code. */
  static void assertUsableHostName(String name, boolean wildcard) {
    assertEquals(name.startsWith("*."), wildcard, name);
    String body = wildcard ? name.substring(2) : name;
    assertTrue(body.length() >= 1 && body.length() <= 253, name);
    assertTrue(body.matches("[a-z0-9-]+(\\.[a-z0-9-]+)*"), () -> "not lower-case LDH: " + name);
    for (String label : body.split("\\.", -1)) {
      assertTrue(label.length() >= 1 && label.length() <= 63, name);
      assertFalse(label.startsWith("-") || label.endsWith("-"), name);
    }
    assertFalse(body.substring(body.lastIndexOf('.') + 1).matches("[0-9]+"), () -> "numeric top label: " + name);
    if (wildcard) {
      assertTrue(body.contains("."), () -> "wildcard over a single label: " + name);
    }
  }

  /** Non-empty, no raw control characters (the line separator '\n' excepted), bounded. */
  static void checkMessage(IdentityMatch m) {
    String msg = m.message();
    assertFalse(msg.isEmpty(), "empty message");
    assertSafeText(msg, Integer.MAX_VALUE);
    int bytes = msg.getBytes(StandardCharsets.UTF_8).length;
    assertTrue(bytes < MAX_MESSAGE_BYTES, () -> "message is " + bytes + " bytes long; the bound is " + MAX_MESSAGE_BYTES
        + "; it starts:\n" + msg.substring(0, Math.min(600, msg.length())));
  }

  /** Fails on C0/C1 controls other than '\n', DEL, line/paragraph separators and bidi controls. */
  static void assertSafeText(String s, int maxChars) {
    assertTrue(s.length() <= maxChars, () -> "longer than " + maxChars + " chars (" + s.length() + "): "
        + s.substring(0, Math.min(300, s.length())));
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        continue;
      }
      boolean bad = Character.getType(c) == Character.CONTROL
          || c == '\u2028' || c == '\u2029' || c == '\u061c' || c == '\u200e' || c == '\u200f'
          || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
      if (bad) {
        int at = i;
        fail(String.format(Locale.ROOT, "raw control character U+%04X at %d in: %s", (int) c, at,
            Printable.of(s.substring(Math.max(0, at - 80), Math.min(s.length(), at + 80)))));
      }
    }
  }

  /** Outcome of a match reduced to what the case and symmetry properties compare. */
  static String outcome(IdentityMatch m) {
    return m instanceof IdentityMatch.Matched ? "MATCH " + ((IdentityMatch.Matched) m).kind() : "NO MATCH";
  }

  static void assertNotMatched(IdentityMatch m, String why) {
    assertNotEquals(true, m.isMatch(), () -> why + ": " + m.message());
  }
}
