package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.policy.identity.FuzzCertificates.assertNotMatched;
import static org.mailtls.policy.identity.FuzzCertificates.dnsRef;
import static org.mailtls.policy.identity.FuzzCertificates.flipAsciiCase;
import static org.mailtls.policy.identity.FuzzCertificates.outcome;
import static org.mailtls.policy.identity.FuzzCertificates.withDnsNames;

import com.google.common.net.InternetDomainName;
import java.io.ByteArrayOutputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.mailtls.policy.identity.ReferenceIdentity.DnsId;
import org.mailtls.policy.identity.ReferenceIdentity.IpId;
import org.mailtls.policy.identity.ReferenceIdentity.SrvId;
import org.mailtls.testing.HeldCertificate;

/**
 * Property tests of the matcher on real certificates (requirements.md B.5): ASCII case
 * insensitivity (SI-06), IDN comparison in A-label form (SI-07), one-label wildcards (SI-08),
 * octet equality for IP-IDs (SI-09), SRV-IDs compared service and domain together (SI-10,
 * SRV-06), and presented-identifier hygiene (B.5: non-ASCII bytes and trailing dots never match).
 */
class PropertyMatchingTest {
  private static final String LDH_EDGE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  // ------------------------------------------------------------------ SI-06 case

  /**
   * SI-06: flipping the case of ASCII letters in the reference, the presented dNSName or both never
   * changes the outcome (isMatch and kind); a presented name equal to the reference's A-label form
   * ignoring case always matches exactly.
   */
  @Property(tries = 200)
  void property_si06_asciiCaseFlippedOnEitherSide_sameOutcome(
      @ForAll("referenceAndPresented") Tuple2<String, String> pair, @ForAll long refSeed, @ForAll long presSeed) {
    String ref = pair.get1();
    String pres = pair.get2();
    String refFlipped = flipAsciiCase(ref, refSeed);
    String presFlipped = flipAsciiCase(pres, presSeed);
    X509Certificate cert = withDnsNames(pres);
    X509Certificate certFlipped = withDnsNames(presFlipped);
    IdentityMatcher m = IdentityMatcher.strict();

    String expected = outcome(m.match(dnsRef(ref), cert));
    assertEquals(expected, outcome(m.match(dnsRef(refFlipped), cert)), () -> "reference " + refFlipped + " vs " + pres);
    assertEquals(expected, outcome(m.match(dnsRef(ref), certFlipped)), () -> "reference " + ref + " vs " + presFlipped);
    assertEquals(expected, outcome(m.match(dnsRef(refFlipped), certFlipped)),
        () -> "reference " + refFlipped + " vs " + presFlipped);
    if (DnsName.parse(ref).ascii().equals(pres.toLowerCase(Locale.ROOT))) {
      assertEquals("MATCH DNS_EXACT", expected, () -> ref + " vs " + pres);
    }
  }

  /**
   * SI-06: for non-wildcard ASCII names, "reference a vs presented b" matches iff "reference b vs
   * presented a" matches, iff a and b are equal ignoring ASCII case.
   */
  @Property(tries = 200)
  void property_si06_nonWildcardNames_referenceVsPresentedSymmetric(
      @ForAll("pooledAsciiNames") String a, @ForAll("pooledAsciiNames") String b) {
    IdentityMatcher m = IdentityMatcher.strict();
    IdentityMatch ab = m.match(dnsRef(a), withDnsNames(b));
    IdentityMatch ba = m.match(dnsRef(b), withDnsNames(a));
    assertEquals(outcome(ab), outcome(ba), () -> a + " / " + b);
    assertEquals(a.equalsIgnoreCase(b), ab.isMatch(), ab::message);
  }

  // ------------------------------------------------------------------ SI-07 IDN

  /**
   * SI-07: a reference with U-labels matches a presented dNSName holding its A-label form in any
   * ASCII case, and never a presented dNSName holding the raw UTF-8 U-label form.
   */
  @Property(tries = 100)
  void property_si07_uLabelReference_matchesALabelNeverUtf8(@ForAll("idnNames") String idn, @ForAll long seed) {
    String ascii = DnsName.parse(idn).ascii();
    IdentityMatcher m = IdentityMatcher.strict();
    assertEquals("MATCH DNS_EXACT", outcome(m.match(dnsRef(idn), withDnsNames(flipAsciiCase(ascii, seed)))));
    if (!idn.chars().allMatch(c -> c < 0x80)) {
      IdentityMatch utf8 = m.match(dnsRef(idn), withDnsNames(idn));
      assertNotMatched(utf8, "SI-07: a UTF-8 dNSName must be ignored");
    }
  }

  // ------------------------------------------------------------------ SI-08 wildcards

  /**
   * SI-08, R7817-C-10: for a valid {@code *.base} (base of at least two labels and not a public
   * suffix), {@code x.base} matches as DNS_WILDCARD for any valid single label x, while {@code
   * y.x.base} and {@code base} itself never match.
   */
  @Property(tries = 200)
  void property_si08_wildcard_coversExactlyOneLabel(
      @ForAll("wildcardBases") String base, @ForAll("singleLabels") String x, @ForAll("singleLabels") String y,
      @ForAll long seed) {
    String covered = x + "." + base;
    Assume.that(FuzzCertificates.parses(covered));
    X509Certificate cert = withDnsNames(flipAsciiCase("*." + base, seed));
    IdentityMatcher m = IdentityMatcher.strict();

    IdentityMatch one = m.match(dnsRef(covered), cert);
    assertEquals("MATCH DNS_WILDCARD", outcome(one), () -> covered + " vs *." + base + ": " + one.message());
    assertNotMatched(m.match(dnsRef(base), cert), "SI-08: *." + base + " must not cover " + base);
    String twoDeep = y + "." + covered;
    if (FuzzCertificates.parses(twoDeep)) {
      assertNotMatched(m.match(dnsRef(twoDeep), cert), "SI-08: *." + base + " must not cover " + twoDeep);
    }
  }

  // ------------------------------------------------------------------ B.5 hygiene

  /**
   * B.5 hygiene, SI-07: a presented dNSName containing any byte outside 0x21..0x7e (NUL, space,
   * DEL, Latin-1, broken UTF-8) never matches: not the name it was cut from, not the name before
   * the byte, not the name with the byte removed.
   */
  @Property(tries = 200)
  void property_b5_presentedNameWithNonVisibleByte_neverMatches(
      @ForAll("pooledAsciiNames") String name, @ForAll("nonVisibleBytes") byte[] bad,
      @ForAll("positions") int at, @ForAll("pooledAsciiNames") String suffix, @ForAll boolean withSuffix) {
    byte[] plain = FuzzCertificates.ascii(name);
    int i = Math.floorMod(at, plain.length + 1);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.write(plain, 0, i);
    raw.writeBytes(bad);
    raw.write(plain, i, plain.length - i);
    if (withSuffix) {
      raw.writeBytes(FuzzCertificates.ascii("." + suffix));
    }
    X509Certificate cert = FuzzCertificates.builder()
        .addSanRaw(FuzzCertificates.dnsNameEntry(raw.toByteArray())).build().certificate();

    PresentedIdentifiers p = FuzzCertificates.checkAll(dnsRef(name), cert);
    assertTrue(p.subjectAltNames().isEmpty(), p::toString);
    assertEquals("dNSName", p.ignored().get(0).kind());
    IdentityMatcher m = IdentityMatcher.strict();
    assertNotMatched(m.match(dnsRef(name), cert), "B.5: a dNSName with a byte outside 0x21..0x7e");
    String before = name.substring(0, i);
    if (FuzzCertificates.parses(before)) {
      assertNotMatched(m.match(dnsRef(before), cert), "B.5: truncation at the bad byte");
    }
    if (withSuffix && FuzzCertificates.parses(name + "." + suffix)) {
      assertNotMatched(m.match(dnsRef(name + "." + suffix), cert), "B.5: the name without the bad byte");
    }
  }

  /**
   * B.5 hygiene: a presented name with a trailing dot ({@code name.} or {@code *.base.}) never
   * matches, although the reference parser strips one trailing dot.
   */
  @Property(tries = 200)
  void property_b5_presentedNameWithTrailingDot_neverMatches(
      @ForAll("pooledAsciiNames") String name, @ForAll("singleLabels") String x, @ForAll long seed) {
    IdentityMatcher m = IdentityMatcher.strict();
    assertNotMatched(m.match(dnsRef(name), withDnsNames(flipAsciiCase(name + ".", seed))), "B.5: " + name + ".");
    assertNotMatched(m.match(dnsRef(name + "."), withDnsNames(name + ".")), "B.5: reference " + name + ". vs " + name + ".");
    String covered = x + "." + name;
    if (name.contains(".") && FuzzCertificates.parses(covered)) {
      assertNotMatched(m.match(dnsRef(covered), withDnsNames("*." + name + ".")), "B.5: *." + name + ".");
    }
  }

  // ------------------------------------------------------------------ SI-09 IP-IDs

  /**
   * SI-09: an IP-ID built from random 4- or 16-octet arrays matches a certificate's iPAddress
   * entries iff one of them is octet-for-octet equal (IPv4-mapped forms included, no folding).
   */
  @Property(tries = 200)
  void property_si09_ipId_matchesIffSomeEntryHasEqualOctets(
      @ForAll("ipOctets") byte[] reference, @ForAll("presentedIps") List<byte[]> presented) {
    HeldCertificate.Builder b = FuzzCertificates.builder();
    boolean expected = false;
    for (byte[] p : presented) {
      byte[] octets = p.length == 0 ? reference : p; // the empty array stands for "the reference itself"
      b.addIpAddressOctets(octets);
      expected |= Arrays.equals(reference, octets);
    }
    X509Certificate cert = b.build().certificate();
    IdentityMatch m = IdentityMatcher.strict().match(FuzzCertificates.ipRef(reference), cert);
    boolean exp = expected;
    assertEquals(exp, m.isMatch(), m::message);
    if (exp) {
      assertEquals(MatchKind.IP, ((IdentityMatch.Matched) m).kind());
    }
    FuzzCertificates.checkAll(FuzzCertificates.ipRef(reference), cert);
  }

  /**
   * SI-09, SI-18: an IP-ID typed as the canonical text of an address (what {@link
   * IpAddress#toString()} and the mismatch message show) is that address: it matches a presented
   * iPAddress iff the octets are equal. Covers IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}), whose 16
   * octets are not the 4 octets of {@code a.b.c.d}.
   *
   * <p>Fails at the time of writing: {@code IpAddress.ofOctets(::ffff:192.0.2.7).toString()} is
   * {@code "192.0.2.7"} and {@code IpAddress.parse("::ffff:192.0.2.7")} has 4 octets (the JDK's
   * {@code InetAddress.getByAddress} folds IPv4-mapped addresses), so the typed IPv6 literal matches
   * a 4-octet SAN and not its own 16-octet one.
   */
  @Property(tries = 200)
  void property_si09_ipIdFromCanonicalText_matchesIffSameOctets(
      @ForAll("ipOctets") byte[] address, @ForAll("presentedForAddress") Tuple2<Integer, byte[]> choice) {
    byte[] presented;
    switch (choice.get1()) {
      case 0:
        presented = address.clone();
        break;
      case 1: // the IPv4 tail of a 16-octet address
        presented = address.length == 16 ? Arrays.copyOfRange(address, 12, 16) : address.clone();
        break;
      default:
        presented = choice.get2();
    }
    String text = IpAddress.ofOctets(address).toString();
    ReferenceIdentities refs = ReferenceIdentities.forHost(text);
    X509Certificate cert = FuzzCertificates.builder().addIpAddressOctets(presented).build().certificate();
    IdentityMatch m = IdentityMatcher.strict().match(refs, cert);
    assertEquals(Arrays.equals(address, presented), m.isMatch(),
        () -> "reference " + text + " (from " + hex(address) + ") vs iPAddress " + hex(presented) + ":\n" + m.message());
  }

  // ------------------------------------------------------------------ SRV-06 / SI-10

  /**
   * SRV-06, SI-10, SI-04: against an oracle over small pools (so collisions are common): the first
   * reference (in order) with a presented identifier that matches wins; an SRV-ID matches an
   * SRVName only when the service (case-insensitively) and the domain both equal, never mixing a
   * service of one reference with the domain of another; a dNSName never satisfies an SRV-ID and an
   * SRVName never satisfies a DNS-ID; bundle partners count only in bundle mode (SRV-08).
   */
  @Property(tries = 300)
  void property_srv06_srvNameMatchesOnlyWhenServiceAndDomainBothEqual(
      @ForAll("srvReferences") List<ReferenceIdentity> refList, @ForAll("srvPresented") List<Tuple2<Boolean, String>> presented,
      @ForAll boolean bundles) {
    ReferenceIdentities refs = ReferenceIdentities.of(refList);
    HeldCertificate.Builder b = FuzzCertificates.builder();
    for (Tuple2<Boolean, String> p : presented) {
      if (p.get1()) {
        b.addSrvName(p.get2());
      } else {
        b.addDnsName(p.get2());
      }
    }
    X509Certificate cert = b.build().certificate();
    IdentityPolicy policy = IdentityPolicy.builder().srvServiceBundles(bundles).build();

    IdentityMatch actual = IdentityMatcher.of(policy).match(refs, cert);
    String expected = srvOracle(refs, presented, bundles);
    String got = actual instanceof IdentityMatch.Matched
        ? ((IdentityMatch.Matched) actual).reference() + " <- " + ((IdentityMatch.Matched) actual).presented() + " "
            + ((IdentityMatch.Matched) actual).kind()
        : "NO MATCH";
    assertEquals(expected, got, () -> "refs " + refs + " presented " + presented + " bundles=" + bundles);
    FuzzCertificates.checkAll(refs, cert);
  }

  /** B.5 restated over the pools: which (reference, presented, kind) wins, or NO MATCH. */
  private static String srvOracle(ReferenceIdentities refs, List<Tuple2<Boolean, String>> presented, boolean bundles) {
    for (ReferenceIdentity ref : refs.all()) {
      for (Tuple2<Boolean, String> p : presented) {
        String value = p.get2().toLowerCase(Locale.ROOT);
        if (p.get1() && ref instanceof SrvId) {
          SrvId s = (SrvId) ref;
          int dot = value.indexOf('.');
          String service = value.substring(1, dot);
          String domain = value.substring(dot + 1);
          if (!VALID_SERVICES.contains(service) || !VALID_DOMAINS.contains(domain)
              || !domain.equals(s.domain().ascii())) {
            continue;
          }
          if (service.equals(s.service().label())) {
            return ref + " <- SRVName _" + service + "." + domain + " SRV";
          }
          if (bundles && service.equals(s.service().bundlePartner().label())) {
            return ref + " <- SRVName _" + service + "." + domain + " SRV_BUNDLE";
          }
        } else if (!p.get1() && ref instanceof DnsId) {
          String refName = ((DnsId) ref).name().ascii();
          if (VALID_DOMAINS.contains(value) && value.equals(refName)) {
            return ref + " <- dNSName " + value + " DNS_EXACT";
          }
          // "*.example.net" is no SRVName domain, but it is a valid wildcard dNSName (SI-08).
          if (value.equals("*.example.net") && refName.endsWith(".example.net")
              && refName.indexOf('.') == refName.length() - ".example.net".length()) {
            return ref + " <- dNSName " + value + " DNS_WILDCARD";
          }
        }
      }
    }
    return "NO MATCH";
  }

  private static final List<String> VALID_SERVICES = List.of(
      "imap", "imaps", "pop3", "pop3s", "submission", "submissions", "sieve", "xmpp-client", "ldap");
  private static final List<String> INVALID_SERVICES = List.of("", "imap_s", "-imaps", "tcp.", "averyveryverylongservice");
  private static final List<String> VALID_DOMAINS = List.of(
      "example.net", "mail.example.net", "example.org", "xn--bcher-kva.example");
  private static final List<String> INVALID_DOMAINS = List.of(
      "example.net.", "_tcp.example.net", "*.example.net", "192.0.2.1", "ex ample.net", "");

  // ------------------------------------------------------------------ providers

  /** LDH labels of 1 to 63 characters, any ASCII case; no "--" in positions 3-4 (IDNA). */
  static Arbitrary<String> ldhLabels() {
    Arbitrary<String> edge = Arbitraries.strings().withChars(LDH_EDGE).ofLength(1);
    Arbitrary<String> middle = Arbitraries.strings().withChars(LDH_EDGE + "-").ofMaxLength(61);
    return Combinators.combine(edge, middle, edge, Arbitraries.integers().between(0, 3))
        .as((a, mid, z, shape) -> shape == 0 ? a : shape == 1 ? a + z : a + mid + z)
        .filter(l -> !(l.length() >= 4 && l.charAt(2) == '-' && l.charAt(3) == '-'));
  }

  @Provide
  Arbitrary<String> singleLabels() {
    return Arbitraries.oneOf(ldhLabels(), Arbitraries.of("b\u00fccher", "fa\u00df", "\u043f\u0440\u0438\u043c\u0435\u0440",
        "xn--bcher-kva", "a", "0", "www", "MAIL"));
  }

  /** ASCII names from a small label pool, any case, so equal names are frequent. */
  @Provide
  Arbitrary<String> pooledAsciiNames() {
    Arbitrary<String> label = Arbitraries.of("mail", "example", "net", "a", "b", "xn--bcher-kva", "my-host", "org", "42");
    return label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l))
        .flatMap(n -> Arbitraries.longs().map(seed -> flipAsciiCase(n, seed)))
        .filter(FuzzCertificates::parses);
  }

  @Provide
  Arbitrary<String> idnNames() {
    Arbitrary<String> label = Arbitraries.of("b\u00fccher", "fa\u00df", "M\u00dcNCHEN", "\u03c0\u03b1\u03c1\u03ac\u03b4\u03b5\u03b9\u03b3\u03bc\u03b1",
        "\u043f\u0440\u0438\u043c\u0435\u0440", "\u4f8b\u3048", "example", "NET", "xn--bcher-kva", "\u0645\u062b\u0627\u0644",
        "\u05d3\u05d5\u05d2\u05de\u05d4");
    return label.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l)).filter(FuzzCertificates::parses);
  }

  /**
   * A reference name and a presented name built from it or from the same pool: equal, differently
   * cased, a wildcard over its parent, a wildcard over itself, a partial-label wildcard, or
   * unrelated, so that matches and near misses are both common.
   */
  @Provide
  Arbitrary<Tuple2<String, String>> referenceAndPresented() {
    Arbitrary<String> refs = Arbitraries.oneOf(pooledAsciiNames(), idnNames(),
        ldhLabels().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l)).filter(FuzzCertificates::parses));
    return refs.flatMap(ref -> {
      String ascii = DnsName.parse(ref).ascii();
      String parent = ascii.contains(".") ? ascii.substring(ascii.indexOf('.') + 1) : ascii;
      Arbitrary<String> presented = Arbitraries.oneOf(
          Arbitraries.just(ascii), Arbitraries.just(ascii.toUpperCase(Locale.ROOT)),
          Arbitraries.just("*." + parent), Arbitraries.just("*." + ascii), Arbitraries.just("f*." + parent),
          Arbitraries.just(ascii + "."), Arbitraries.just("*.*." + parent), pooledAsciiNames(),
          pooledAsciiNames().map(n -> "*." + n));
      return presented.map(p -> Tuple.of(ref, p));
    });
  }

  /** Wildcard bases: at least two labels, valid, and not a public suffix (RFC 9525 §7.1). */
  @Provide
  Arbitrary<String> wildcardBases() {
    Arbitrary<String> suffix = Arbitraries.of("net", "com", "org", "co.uk", "de", "example", "github.io", "xn--p1ai", "io");
    Arbitrary<List<String>> labels = Arbitraries.oneOf(ldhLabels(), Arbitraries.of("example", "mail", "xn--bcher-kva"))
        .list().ofMinSize(1).ofMaxSize(3);
    return Combinators.combine(labels, suffix).as((l, s) -> String.join(".", l) + "." + s)
        .filter(FuzzCertificates::parses)
        .filter(b -> InternetDomainName.isValid(b) && !InternetDomainName.from(b).isPublicSuffix());
  }

  /** One or more bytes outside 0x21..0x7e: NUL, controls, space, DEL, Latin-1 and UTF-8 lead bytes. */
  @Provide
  Arbitrary<byte[]> nonVisibleBytes() {
    Arbitrary<Byte> bad = Arbitraries.oneOf(
        Arbitraries.bytes().between((byte) 0x00, (byte) 0x20),
        Arbitraries.bytes().between((byte) 0x7f, (byte) 0x7f),
        Arbitraries.bytes().between(Byte.MIN_VALUE, (byte) -1));
    return bad.list().ofMinSize(1).ofMaxSize(3).map(l -> {
      byte[] out = new byte[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = l.get(i);
      }
      return out;
    });
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 1_000);
  }

  /** 4 or 16 random octets; a third of the 16-octet ones IPv4-mapped, some IPv4-compatible. */
  @Provide
  Arbitrary<byte[]> ipOctets() {
    Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
    Arbitrary<byte[]> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16);
    Arbitrary<byte[]> mapped = v4.map(a -> {
      byte[] out = new byte[16];
      out[10] = (byte) 0xff;
      out[11] = (byte) 0xff;
      System.arraycopy(a, 0, out, 12, 4);
      return out;
    });
    Arbitrary<byte[]> compat = v4.map(a -> {
      byte[] out = new byte[16];
      System.arraycopy(a, 0, out, 12, 4);
      return out;
    });
    return Arbitraries.frequencyOf(Tuple.of(3, v4), Tuple.of(3, v6), Tuple.of(2, mapped), Tuple.of(1, compat));
  }

  /** Presented iPAddress values; an empty array means "exactly the reference". Odd lengths too. */
  @Provide
  Arbitrary<List<byte[]>> presentedIps() {
    Arbitrary<byte[]> odd = Arbitraries.of(3, 5, 8, 15, 17, 32).flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
    return Arbitraries.frequencyOf(
        Tuple.of(3, ipOctets()), Tuple.of(2, Arbitraries.just(new byte[0])), Tuple.of(1, odd))
        .list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<Tuple2<Integer, byte[]>> presentedForAddress() {
    return Combinators.combine(Arbitraries.integers().between(0, 2), ipOctets()).as((i, b) -> Tuple.of(i, b));
  }

  @Provide
  Arbitrary<List<ReferenceIdentity>> srvReferences() {
    Arbitrary<DnsName> domain = Arbitraries.of("example.net", "Mail.Example.NET", "example.org", "b\u00fccher.example")
        .map(DnsName::parse);
    Arbitrary<ReferenceIdentity> srv = Combinators.combine(Arbitraries.of(MailService.class), domain)
        .as((s, d) -> new SrvId(s, d, ReferenceSource.SRV_DISCOVERY));
    Arbitrary<ReferenceIdentity> dns = domain.map(d -> new DnsId(d, ReferenceSource.EMAIL_DOMAIN));
    Arbitrary<ReferenceIdentity> ip = Arbitraries.just(new IpId(IpAddress.parse("192.0.2.1"), ReferenceSource.EXPLICIT));
    return Arbitraries.frequencyOf(Tuple.of(6, srv), Tuple.of(2, dns), Tuple.of(1, ip)).list().ofMinSize(1).ofMaxSize(3);
  }

  /** (isSrvName, value): SRVNames "_service.domain" and dNSNames, valid and invalid, any case. */
  @Provide
  Arbitrary<List<Tuple2<Boolean, String>>> srvPresented() {
    List<String> services = new ArrayList<>(VALID_SERVICES);
    services.addAll(INVALID_SERVICES);
    List<String> domains = new ArrayList<>(VALID_DOMAINS);
    domains.addAll(INVALID_DOMAINS);
    Arbitrary<Tuple2<Boolean, String>> srvName = Combinators.combine(
            Arbitraries.of(services), Arbitraries.of(domains), Arbitraries.longs())
        .as((s, d, seed) -> Tuple.of(true, flipAsciiCase("_" + s + "." + d, seed)));
    Arbitrary<Tuple2<Boolean, String>> dnsName = Combinators.combine(Arbitraries.of(domains), Arbitraries.longs())
        .as((d, seed) -> Tuple.of(false, flipAsciiCase(d, seed)));
    return Arbitraries.frequencyOf(Tuple.of(4, srvName), Tuple.of(1, dnsName)).list().ofMinSize(0).ofMaxSize(4);
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }
}
