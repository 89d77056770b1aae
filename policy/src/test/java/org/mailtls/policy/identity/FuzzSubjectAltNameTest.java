package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.policy.identity.FuzzCertificates.ascii;
import static org.mailtls.policy.identity.FuzzCertificates.checkAll;
import static org.mailtls.policy.identity.FuzzCertificates.ia5;
import static org.mailtls.policy.identity.FuzzCertificates.tlv;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.Tuple.Tuple3;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.mailtls.policy.identity.ReferenceIdentity.DnsId;
import org.mailtls.policy.identity.ReferenceIdentity.IpId;
import org.mailtls.policy.identity.ReferenceIdentity.SrvId;
import org.mailtls.testing.HeldCertificate;

/**
 * Fuzz-style properties over hostile certificates (B.5 hygiene, SI-15, SI-20, SRV-06): random
 * bytes as dNSName, SRVName and otherName values, random GeneralName TLVs, random and mutated
 * subjectAltName extensions, thousands of entries, hostile subject CNs. For every certificate,
 * {@link PresentedIdentifiers#from} and {@link IdentityMatcher#match} never throw, every examined
 * entry is either a usable identifier or an {@link IgnoredIdentifier}, every message is non-empty,
 * escaped and bounded, and a broken subjectAltName never lets a legacy CN match (fail closed).
 */
class FuzzSubjectAltNameTest {
  private static final String REFERENCE_HOST = "mail.example.net";

  /** DNS-ID, SRV-ID and IP-ID together, so every matcher branch runs on the hostile input. */
  private static final ReferenceIdentities REFS = ReferenceIdentities.of(List.of(
      new DnsId(DnsName.parse(REFERENCE_HOST), ReferenceSource.CONNECTED_HOST),
      new SrvId(MailService.IMAPS, DnsName.parse("example.net"), ReferenceSource.SRV_DISCOVERY),
      new DnsId(DnsName.parse("example.net"), ReferenceSource.SRV_DISCOVERY),
      new IpId(IpAddress.parse("192.0.2.7"), ReferenceSource.EXPLICIT)));

  private static final IdentityPolicy LEGACY_CN = IdentityPolicy.builder().legacyCommonName(true).build();

  /**
   * A valid SAN extnValue taken from a real minted certificate: dNSName, wildcard, SRVName (IA5),
   * two iPAddresses, URI, rfc822Name and a foreign otherName. None of them is, or is one bit away
   * from, {@value #REFERENCE_HOST}.
   */
  private static final byte[] BASE_SAN = FuzzCertificates.subjectAltNameExtnValue(FuzzCertificates.builder()
      .addDnsName("alpha.example.org")
      .addDnsName("*.wild.example.org")
      .addSrvName("_imaps.example.org")
      .addIpAddress("198.51.100.1")
      .addIpAddress("2001:db8::1")
      .addUri("imap://alpha.example.org")
      .addRfc822Name("postmaster@example.org")
      .addOtherName("1.3.6.1.4.1.311.20.2.3", tlv(0x0C, ascii("upn@example.org")))
      .build().certificate());

  // ------------------------------------------------------------------ entry values

  /**
   * B.5 hygiene, SI-07, SI-08: random bytes, NULs, non-UTF-8, 300-character labels, over-long
   * names and malformed wildcards as dNSName values never make parsing or matching throw; each
   * entry is usable or ignored, and the entry cap is honoured for any cap.
   */
  @Property(tries = 200)
  void fuzz_b5_hostileDnsNameValues_neverThrowEveryEntryAccounted(
      @ForAll("hostileDnsNames") List<byte[]> values, @ForAll @IntRange(min = 1, max = 12) int cap) {
    HeldCertificate.Builder b = FuzzCertificates.builder().subjectCommonName(REFERENCE_HOST);
    for (byte[] v : values) {
      b.addSanRaw(FuzzCertificates.dnsNameEntry(v));
    }
    X509Certificate cert = b.build().certificate();

    PresentedIdentifiers p = checkAll(REFS, cert);
    assertEquals(values.size(), p.subjectAltNameEntryCount());
    PresentedIdentifiers capped = PresentedIdentifiers.from(cert, cap);
    FuzzCertificates.checkPresented(capped, cert);
    assertEquals(Math.min(cap, values.size()), capped.examinedEntryCount());
    assertEquals(values.size() > cap, capped.truncated());
    IdentityMatch legacy = IdentityMatcher.of(LEGACY_CN).match(REFS, cert);
    assertFalse(legacy instanceof IdentityMatch.Matched
        && ((IdentityMatch.Matched) legacy).kind() == MatchKind.LEGACY_COMMON_NAME,
        "SI-20: a certificate with dNSName entries, valid or not, never falls back to its CN");
    Statistics.collect(p.subjectAltNames().isEmpty() ? "all ignored" : "some usable");
  }

  /**
   * SRV-06, SRV-03, RFC 4985 §2: random SRVName values (random bytes in an IA5String, random
   * strings, UTF8String values, nested [0] layers, non-DER values) never throw; only a well-formed
   * {@code _service.domain} IA5String becomes a usable SRVName.
   */
  @Property(tries = 200)
  void fuzz_srv06_hostileSrvNameValues_neverThrow(@ForAll("hostileSrvNameEntries") List<Tuple2<Integer, byte[]>> entries) {
    HeldCertificate.Builder b = FuzzCertificates.builder().subjectCommonName(REFERENCE_HOST);
    for (Tuple2<Integer, byte[]> e : entries) {
      byte[] v = e.get2();
      switch (e.get1()) {
        case 0:
          b.addOtherName(FuzzCertificates.SRV_NAME_OID, ia5(v));
          break;
        case 1:
          b.addOtherName(FuzzCertificates.SRV_NAME_OID, v); // not necessarily DER at all
          break;
        case 2:
          b.addSrvName(new String(v, StandardCharsets.ISO_8859_1));
          break;
        case 3:
          b.addSrvNameUtf8(new String(v, StandardCharsets.UTF_8));
          break;
        default:
          b.addOtherName(FuzzCertificates.SRV_NAME_OID, tlv(0xA0, tlv(0xA0, ia5(v)))); // two extra [0] layers
      }
    }
    X509Certificate cert = b.build().certificate();
    PresentedIdentifiers p = checkAll(REFS, cert);
    for (PresentedIdentifier id : p.subjectAltNames()) {
      assertTrue(id instanceof PresentedIdentifier.Srv, id::toString);
    }
    Statistics.collect(p.subjectAltNameError().isPresent() ? "SAN unreadable"
        : p.subjectAltNames().isEmpty() ? "all ignored" : "some usable");
  }

  /**
   * B.5: otherNames with hand-encoded type-ids of any length (up to the 4,096 octets BouncyCastle
   * accepts) and random values never throw, never match, and are listed in bounded form.
   *
   * <p>Fails at the time of writing: the dotted type-id goes uncut into {@link IgnoredIdentifier#kind()}
   * and the message (a 4,096-octet OID gives an 8,203-character kind; 1,000 such entries an 8 MB
   * message).
   */
  @Property(tries = 200)
  void fuzz_b5_longOtherNameTypeIds_neverThrowBoundedEntries(
      @ForAll("longOidContents") byte[] oid, @ForAll("randomBytes") byte[] value) {
    X509Certificate cert = FuzzCertificates.builder().subjectCommonName(REFERENCE_HOST)
        .addSanRaw(otherNameEntry(oid, ia5(value))).build().certificate();
    PresentedIdentifiers p = checkAll(REFS, cert);
    assertTrue(p.subjectAltNames().isEmpty(), p::toString);
  }

  /** B.5: otherNames with random type-ids and random values never throw and never match. */
  @Property(tries = 200)
  void fuzz_b5_randomOtherNames_neverThrowNeverMatch(
      @ForAll("otherNameOids") String oid, @ForAll("randomBytes") byte[] value, @ForAll boolean wrapAsIa5) {
    X509Certificate cert = FuzzCertificates.builder().subjectCommonName(REFERENCE_HOST)
        .addOtherName(oid, wrapAsIa5 ? ia5(value) : value).build().certificate();
    PresentedIdentifiers p = checkAll(REFS, cert);
    if (!oid.equals(FuzzCertificates.SRV_NAME_OID)) {
      assertTrue(p.subjectAltNames().isEmpty(), p::toString);
      assertFalse(IdentityMatcher.strict().match(REFS, cert).isMatch());
    }
  }

  /**
   * B.5: complete GeneralName TLVs with random tags (all classes, primitive and constructed) and
   * random contents, including iPAddress values of any length, never throw.
   */
  @Property(tries = 200)
  void fuzz_b5_randomGeneralNameTlvs_neverThrow(@ForAll("randomGeneralNames") List<byte[]> generalNames) {
    HeldCertificate.Builder b = FuzzCertificates.builder().subjectCommonName(REFERENCE_HOST);
    for (byte[] gn : generalNames) {
      b.addSanRaw(gn);
    }
    X509Certificate cert = b.build().certificate();
    PresentedIdentifiers p = checkAll(REFS, cert);
    Statistics.collect(p.subjectAltNameError().isPresent() ? "SAN unreadable" : "SAN readable");
  }

  // ------------------------------------------------------------------ whole extension

  /**
   * B.5, SI-20 (fail closed): a random subjectAltName extnValue never makes anything throw; when it
   * is not a non-empty SEQUENCE, {@code subjectAltNameError()} is present and the legacy CN, equal
   * to the reference, does not match.
   */
  @Property(tries = 300)
  void fuzz_b5_randomSanExtension_brokenMeansNoCnFallback(@ForAll("randomExtnValues") byte[] extnValue) {
    checkBrokenSanFailsClosed(extnValue);
  }

  /**
   * B.5, SI-20 (fail closed), mutation fuzzing: a valid SAN extnValue from a real certificate with
   * random bits flipped, bytes set, inserted, deleted, truncated or duplicated, put back verbatim.
   * Nothing throws; an undecodable result reports {@code subjectAltNameError()} and never lets the
   * CN (equal to the reference) match under the legacy-CN policy.
   */
  @Property(tries = 400)
  void fuzz_b5_mutatedSanExtension_brokenMeansNoCnFallback(@ForAll("mutations") List<Tuple3<Integer, Integer, Integer>> mutations) {
    byte[] mutated = mutate(BASE_SAN, mutations);
    checkBrokenSanFailsClosed(mutated);
  }

  private static void checkBrokenSanFailsClosed(byte[] extnValue) {
    X509Certificate cert = FuzzCertificates.builder()
        .subjectCommonName(REFERENCE_HOST)
        .subjectAltNameExtensionRaw(extnValue)
        .build().certificate();

    PresentedIdentifiers p = checkAll(REFS, cert);
    IdentityMatch legacy = IdentityMatcher.of(LEGACY_CN).match(REFS, cert);
    boolean decodable = FuzzCertificates.decodesAsNonEmptySequence(extnValue);
    assertTrue(p.hasSubjectAltName(), "the extension is present, parsable or not");
    if (!decodable) {
      assertTrue(p.subjectAltNameError().isPresent(), () -> "undecodable SAN not reported: " + p);
    }
    if (p.subjectAltNameError().isPresent()) {
      assertTrue(p.hasSubjectAltNameIdentifier());
      assertFalse(legacy.isMatch(), () -> "SI-20: broken SAN, yet matched: " + legacy.message());
      assertTrue(legacy.message().contains("unreadable"), legacy::message);
    }
    Statistics.collect(decodable ? "decodable" : "undecodable",
        legacy.isMatch() ? ((IdentityMatch.Matched) legacy).kind().toString() : "no match");
  }

  // ------------------------------------------------------------------ volume

  /**
   * B.5, "bounded messages": a certificate with thousands of subjectAltName entries (NULs,
   * non-UTF-8, 300-byte labels, broken SRVNames, and valid 253-character names) is parsed up to the
   * cap without throwing, and the mismatch message stays under 200 KB.
   *
   * <p>Fails at the time of writing: every examined entry gets its own line and nothing caps the
   * listing, so 1,000 dNSNames of forty 0xFF bytes already give 220 KB (and the size grows with
   * {@link IdentityPolicy#maxSubjectAltNames()}, up to 100,000 entries). Edge cases and shrinking are off: each try builds a
   * certificate with thousands of entries.
   */
  @Property(tries = 4, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
  void fuzz_b5_thousandsOfHostileEntries_messageBounded(
      @ForAll @IntRange(min = 1_000, max = 5_000) int count, @ForAll("bulkHostileEntries") List<byte[]> patterns) {
    HeldCertificate.Builder b = FuzzCertificates.builder().subjectCommonName(REFERENCE_HOST);
    for (int i = 0; i < count; i++) {
      b.addSanRaw(patterns.get(i % patterns.size()));
    }
    X509Certificate cert = b.build().certificate();

    PresentedIdentifiers p = checkAll(REFS, cert);
    assertEquals(count, p.subjectAltNameEntryCount());
    assertEquals(Math.min(count, IdentityPolicy.DEFAULT_MAX_SUBJECT_ALT_NAMES), p.examinedEntryCount());
    assertEquals(count > IdentityPolicy.DEFAULT_MAX_SUBJECT_ALT_NAMES, p.truncated());
  }

  // ------------------------------------------------------------------ subject CN

  /**
   * SI-15, SI-20, SI-21: hostile subject CNs (controls, NUL, bidi overrides, 300-char labels,
   * several CNs) never throw; a CN is used only under the legacy policy and only without SAN.
   */
  @Property(tries = 200)
  void fuzz_si15_hostileSubjectCommonNames_neverThrow(
      @ForAll("hostileCommonNames") String cn, @ForAll boolean withSan, @ForAll boolean secondCn) {
    HeldCertificate.Builder b = FuzzCertificates.builder().subjectCommonName(cn);
    if (secondCn) {
      b.subjectRdn("CN", REFERENCE_HOST);
    }
    if (withSan) {
      b.addRfc822Name("postmaster@example.net");
    }
    X509Certificate cert = b.build().certificate();
    checkAll(REFS, cert);
    assertFalse(IdentityMatcher.strict().match(REFS, cert).isMatch(), "SI-15: strict mode never uses the CN");
    IdentityMatch legacy = IdentityMatcher.of(LEGACY_CN).match(REFS, cert);
    if (legacy.isMatch()) {
      assertFalse(secondCn, "a subject with several CNs yields none");
      assertEquals(MatchKind.LEGACY_COMMON_NAME, ((IdentityMatch.Matched) legacy).kind());
    }
  }

  // ------------------------------------------------------------------ mutation

  /** Applies (op, position, value) edits; positions wrap around the current length. */
  static byte[] mutate(byte[] original, List<Tuple3<Integer, Integer, Integer>> edits) {
    byte[] cur = original.clone();
    for (Tuple3<Integer, Integer, Integer> e : edits) {
      int op = e.get1();
      int value = e.get3();
      if (cur.length == 0) {
        cur = new byte[] {(byte) value};
        continue;
      }
      int pos = Math.floorMod(e.get2(), cur.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (op) {
        case 0: // flip one bit
          cur[pos] ^= (byte) (1 << (value & 7));
          continue;
        case 1: // set one byte
          cur[pos] = (byte) value;
          continue;
        case 2: // insert one byte
          out.write(cur, 0, pos);
          out.write(value);
          out.write(cur, pos, cur.length - pos);
          break;
        case 3: // delete one byte
          out.write(cur, 0, pos);
          out.write(cur, pos + 1, cur.length - pos - 1);
          break;
        case 4: // truncate
          out.write(cur, 0, pos);
          break;
        default: // duplicate a short slice in place
          int len = Math.min(1 + (value & 15), cur.length - pos);
          out.write(cur, 0, pos + len);
          out.write(cur, pos, cur.length - pos);
      }
      cur = out.toByteArray();
    }
    return cur;
  }

  // ------------------------------------------------------------------ providers

  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300);
  }

  /** Hostile dNSName values: random bytes, NULs, non-UTF-8, long labels, bad wildcards, dots. */
  @Provide
  Arbitrary<List<byte[]>> hostileDnsNames() {
    Arbitrary<byte[]> fixed = Arbitraries.of(
        "", ".", "..", "-", "*", "*.", "**.example.net", "*.*.example.net", "a.*.example.net", "f*o.example.net",
        "*.com", "*.co.uk", "*.github.io", "*.192.0.2.7", "*.1.2", "*.-a.example", "*..example.net", "*.example.net.",
        "mail.example.net.", "MAIL.EXAMPLE.NET", "192.0.2.7", "xn--", "xn--zz.example.net", "_imaps.example.net",
        "mail.example.net\u0000.evil.example", "mail.example.net ", " mail.example.net", "mail\u007f.example.net",
        "a".repeat(300) + ".example.net", "a".repeat(64) + ".example.net", "a".repeat(63) + ".example.net",
        ("a".repeat(63) + ".").repeat(4) + "net", "a.".repeat(1_000) + "net").map(FuzzCertificates::ascii);
    Arbitrary<byte[]> nonUtf8 = Arbitraries.of(
        new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80, 'a'},
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {'m', 'a', 'i', 'l', (byte) 0xE9, '.', 'n', 'e', 't'});
    Arbitrary<byte[]> utf8 = Arbitraries.of("b\u00fccher.example", "\u202egnp.example", "m\u0430il.example.net",
        "mail\u3002example\u3002net").map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> visible = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(80).map(FuzzCertificates::ascii);
    Arbitrary<byte[]> ldhish = Arbitraries.strings().withChars("aZ9-.*").ofMaxLength(40).map(FuzzCertificates::ascii);
    Arbitrary<byte[]> repeated = Combinators.combine(Arbitraries.bytes(), Arbitraries.integers().between(1, 400))
        .as((x, n) -> {
          byte[] out = new byte[n];
          java.util.Arrays.fill(out, x);
          return out;
        });
    return Arbitraries.frequencyOf(
        Tuple.of(3, fixed), Tuple.of(2, nonUtf8), Tuple.of(1, utf8), Tuple.of(2, visible), Tuple.of(2, ldhish),
        Tuple.of(2, randomBytes()), Tuple.of(1, repeated))
        .list().ofMinSize(1).ofMaxSize(10);
  }

  @Provide
  Arbitrary<List<Tuple2<Integer, byte[]>>> hostileSrvNameEntries() {
    Arbitrary<byte[]> fixed = Arbitraries.of(
        "_imaps.example.net", "_IMAPS.Example.NET", "_imaps._tcp.example.net", "_imaps", "_imaps.", "_.example.net",
        "imaps.example.net", "_imaps.*.example.net", "_imaps.example.net.", "_imaps.192.0.2.7",
        "_" + "s".repeat(16) + ".example.net", "_-imaps.example.net", "_imaps.example.net\u0000.evil",
        "_imaps." + "a".repeat(300) + ".net", "_\u00e9.example.net", "_imap_s.example.net").map(FuzzCertificates::ascii);
    Arbitrary<byte[]> value = Arbitraries.frequencyOf(Tuple.of(3, fixed), Tuple.of(2, randomBytes()),
        Tuple.of(2, Arbitraries.strings().withChars("_.imaps-xIMAPS0.*").ofMaxLength(30).map(FuzzCertificates::ascii)));
    return Combinators.combine(Arbitraries.integers().between(0, 4), value).as((k, v) -> Tuple.of(k, v))
        .list().ofMinSize(1).ofMaxSize(6);
  }

  /** Whole GeneralNames for the volume property: long hostile dNSName and SRVName values. */
  @Provide
  Arbitrary<List<byte[]>> bulkHostileEntries() {
    Arbitrary<byte[]> nonVisible = Arbitraries.bytes().array(byte[].class).ofMinSize(40).ofMaxSize(400)
        .map(FuzzCertificates::dnsNameEntry);
    Arbitrary<byte[]> repeated = Combinators.combine(Arbitraries.of((byte) 0x00, (byte) 0xFF, (byte) 0xC3, (byte) 0x7F),
            Arbitraries.integers().between(40, 400))
        .as((x, n) -> {
          byte[] out = new byte[n];
          java.util.Arrays.fill(out, x);
          return FuzzCertificates.dnsNameEntry(out);
        });
    Arbitrary<byte[]> longLabel = Arbitraries.integers().between(64, 400)
        .map(n -> FuzzCertificates.dnsNameEntry(ascii("a".repeat(n) + ".example.net")));
    Arbitrary<byte[]> srv = Arbitraries.bytes().array(byte[].class).ofMinSize(40).ofMaxSize(300)
        .map(v -> srvNameEntry(ia5(v)));
    // Usable names too: a valid 253-character dNSName is listed in full under "presented".
    Arbitrary<byte[]> longValid = PropertyMatchingTest.ldhLabels().map(l -> l.toLowerCase(java.util.Locale.ROOT))
        .map(l -> FuzzCertificates.dnsNameEntry(ascii(("a".repeat(63) + ".").repeat(3) + (l + "x".repeat(61)).substring(0, 61))))
        .filter(e -> e[e.length - 1] != '-');
    return Arbitraries.oneOf(nonVisible, repeated, longLabel, srv, longValid).list().ofMinSize(1).ofMaxSize(4);
  }

  /** An otherName GeneralName with a hand-encoded type-id (OID contents) and [0] EXPLICIT value. */
  static byte[] otherNameEntry(byte[] oidContents, byte[] valueDer) {
    return tlv(FuzzCertificates.TAG_OTHER_NAME, tlv(0x06, oidContents), tlv(FuzzCertificates.TAG_EXPLICIT_0, valueDer));
  }

  static byte[] srvNameEntry(byte[] valueDer) {
    return otherNameEntry(new byte[] {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x07}, valueDer);
  }

  /**
   * OID contents octets: valid arcs only (every octet below 0x80, so each is one arc), from one to
   * 4,096 octets (BouncyCastle's limit), so the type-id's dotted form can be thousands of characters.
   */
  @Provide
  Arbitrary<byte[]> longOidContents() {
    return Arbitraries.bytes().between((byte) 0x00, (byte) 0x7F).array(byte[].class).ofMinSize(1).ofMaxSize(4_096)
        .map(c -> {
          c[0] = 0x2B; // 1.3
          return c;
        });
  }

  @Provide
  Arbitrary<String> otherNameOids() {
    return Arbitraries.of(FuzzCertificates.SRV_NAME_OID, "1.3.6.1.5.5.7.8.8", "1.3.6.1.4.1.311.20.2.3",
        "1.3.6.1.5.5.7.8.9", "2.5.4.3", "1.2", "2.999.1", "1.3.6.1.5.5.7.8.7.1");
  }

  @Provide
  Arbitrary<List<byte[]>> randomGeneralNames() {
    Arbitrary<Integer> tags = Arbitraries.oneOf(
        Arbitraries.of(0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0xA0, 0xA1, 0xA2, 0xA4, 0xA6, 0xA7, 0xA8,
            0x04, 0x16, 0x30, 0x0C, 0x9F, 0xBF),
        Arbitraries.integers().between(0, 255));
    Arbitrary<byte[]> wellFormed = Combinators.combine(tags, randomBytes()).as((t, v) -> tlv(t, v));
    Arbitrary<byte[]> nested = Combinators.combine(Arbitraries.of(0xA0, 0xA2, 0xA7, 0xA6), tags, randomBytes())
        .as((outer, inner, v) -> tlv(outer, tlv(inner, v)));
    Arbitrary<byte[]> ipAnyLength = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(v -> tlv(0x87, v));
    Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(12);
    return Arbitraries.frequencyOf(Tuple.of(4, wellFormed), Tuple.of(2, nested), Tuple.of(2, ipAnyLength),
        Tuple.of(1, garbage)).list().ofMinSize(1).ofMaxSize(8);
  }

  /** Whole extnValues: random bytes, random SEQUENCE contents, long-form and indefinite lengths. */
  @Provide
  Arbitrary<byte[]> randomExtnValues() {
    Arbitrary<byte[]> raw = randomBytes();
    Arbitrary<byte[]> seq = randomBytes().map(v -> tlv(FuzzCertificates.TAG_SEQUENCE, v));
    Arbitrary<byte[]> seqOfEntries = randomGeneralNames().map(l -> tlv(FuzzCertificates.TAG_SEQUENCE, l.toArray(new byte[0][])));
    Arbitrary<byte[]> fixed = Arbitraries.of(
        new byte[0], new byte[] {0x30, 0x00}, new byte[] {0x30, (byte) 0x80, 0x00, 0x00},
        new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        new byte[] {0x30, (byte) 0x89, 1, 0, 0, 0, 0, 0, 0, 0, 0}, new byte[] {0x31, 0x02, (byte) 0x82, 0x00},
        new byte[] {0x30, 0x02, (byte) 0x82, 0x00, 0x00}, new byte[] {0x04, 0x02, 0x30, 0x00},
        nestedIndefinite(5_000), nestedDefinite(2_000));
    return Arbitraries.frequencyOf(Tuple.of(2, raw), Tuple.of(3, seq), Tuple.of(3, seqOfEntries), Tuple.of(1, fixed));
  }

  private static byte[] nestedIndefinite(int depth) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < depth; i++) {
      out.write(0x30);
      out.write(0x80);
    }
    for (int i = 0; i < depth; i++) {
      out.write(0);
      out.write(0);
    }
    return out.toByteArray();
  }

  private static byte[] nestedDefinite(int depth) {
    byte[] cur = tlv(FuzzCertificates.TAG_DNS_NAME, ascii(REFERENCE_HOST));
    for (int i = 0; i < depth; i++) {
      cur = tlv(FuzzCertificates.TAG_SEQUENCE, cur);
    }
    return cur;
  }

  @Provide
  Arbitrary<List<Tuple3<Integer, Integer, Integer>>> mutations() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 255))
        .as((op, pos, v) -> Tuple.of(op, pos, v))
        .list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> hostileCommonNames() {
    Arbitrary<String> fixed = Arbitraries.of(REFERENCE_HOST, "MAIL.EXAMPLE.NET", "*.example.net", "mail.example.net.",
        "mail.example.net\u0000.evil.example", "mail.example.net\n", "\u202egnp.example", "#3003", "a".repeat(300),
        "mail.example.net,CN=evil", "", " ", "*", "192.0.2.7", "m\u0430il.example.net");
    // Unpaired surrogates are left out: the test PKI cannot encode them as UTF-8 at all.
    Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(100).filter(FuzzSubjectAltNameTest::wellFormedUtf16);
    Arbitrary<String> controls = Arbitraries.strings().withCharRange('\u0000', '\u00a0').ofMaxLength(40);
    return Arbitraries.frequencyOf(Tuple.of(3, fixed), Tuple.of(2, any), Tuple.of(2, controls));
  }

  private static boolean wellFormedUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
