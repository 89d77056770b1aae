package org.mailtls.policy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property tests of the pure-string parts of the identity engine: reference host names (B.2 step
 * 1, SI-06, SI-07, SI-18), IP literals (SI-09) and the reference-identity builder. The contract
 * under test: bad input is refused with {@link IllegalArgumentException} (or {@link
 * IllegalStateException} from {@code build()}) and nothing else, and whatever is accepted is in
 * its normal form (parsing it again gives the same value).
 */
class PropertyNamesTest {

  /** Characters that exercise IDNA mapping, STD3, CONTEXTJ/O, bidi and dot look-alikes. */
  private static final String TRICKY =
      "aAzZ09-._*@:[]% \t\u0000\u007f\u0080\u00df\u00fc\u00c4\u0130\u0131\u03c2\u0627\u0661\u06f1\u05d0\u094d\u0915"
          + "\u200b\u200c\u200d\u202e\u2066\u3002\uff0e\uff61\uff21\u212a\ufb01\ufdfa\ufeff\ud800\udc00\ud83d\ude00";

  // ------------------------------------------------------------------ DnsName

  /**
   * B.2 step 1, SI-07, SI-18: {@code DnsName.parse} refuses any bad input with an
   * IllegalArgumentException (never an NPE, index or ICU exception), and anything it accepts is a
   * lower-case LDH A-label name of at most 253 characters, without trailing dot, not numeric at the
   * top, that parses back to itself.
   *
   * <p>Fails at the time of writing: a single non-ASCII label of 1,001 to 1,024 UTF-16 units (e.g.
   * {@code "ü".repeat(1001)}) escapes as ICU's {@code ICUInputTooLongException}, which is not an
   * IllegalArgumentException (the input passes the 1,024-character pre-check).
   */
  @Property(tries = 3000)
  void property_dnsNameParse_anyString_onlyIllegalArgumentAndNormalizedResult(@ForAll("hostileHostStrings") String input) {
    DnsName name;
    try {
      name = DnsName.parse(input);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "IllegalArgumentException without a message");
      FuzzCertificates.assertSafeText(e.getMessage(), 2_000);
      return;
    }
    String ascii = name.ascii();
    FuzzCertificates.assertUsableHostName(ascii, false);
    assertEquals(name, DnsName.parse(ascii), "normalization must be idempotent");
    assertFalse(name.toString().isEmpty());
    assertFalse(name.unicode().isEmpty());
    assertEquals(name.labelCount(), ascii.split("\\.").length);
  }

  /**
   * SI-06, SI-07: for any valid name (ASCII or IDN), {@code ascii()} parses back to an equal
   * DnsName, as do its upper-cased form, an ASCII-case-flipped input, and the input with one
   * trailing dot.
   */
  @Property(tries = 2000)
  void property_validDnsName_asciiUpperCaseAndTrailingDot_roundTripToEqualName(
      @ForAll("validReferenceNames") String input, @ForAll long seed) {
    DnsName name = DnsName.parse(input);
    String ascii = name.ascii();
    assertEquals(ascii.toLowerCase(Locale.ROOT), ascii, "ascii() must be lower case");
    assertEquals(name, DnsName.parse(ascii));
    assertEquals(name, DnsName.parse(ascii.toUpperCase(Locale.ROOT)));
    assertEquals(name, DnsName.parse(FuzzCertificates.flipAsciiCase(input, seed)));
    assertEquals(name, DnsName.parse(input + "."));
    assertEquals(name.hashCode(), DnsName.parse(ascii.toUpperCase(Locale.ROOT)).hashCode());
  }

  // ------------------------------------------------------------------ IpAddress

  /**
   * SI-09, SI-18: {@code IpAddress.parse} refuses non-literals with IllegalArgumentException only;
   * an accepted literal has 4 or 16 octets and its text form parses back to it.
   */
  @Property(tries = 3000)
  void property_ipAddressParse_anyString_onlyIllegalArgument(@ForAll("ipLikeStrings") String input) {
    IpAddress ip;
    try {
      ip = IpAddress.parse(input);
    } catch (IllegalArgumentException e) {
      FuzzCertificates.assertSafeText(e.getMessage(), 2_000);
      assertFalse(IpAddress.tryParse(input).isPresent());
      return;
    }
    int n = ip.octets().length;
    assertTrue(n == 4 || n == 16, ip::toString);
    assertEquals(ip, IpAddress.parse(ip.toString()));
    assertEquals(java.util.Optional.of(ip), IpAddress.tryParse(input));
  }

  // ------------------------------------------------------------------ ReferenceIdentities.Builder

  /**
   * B.2, SI-01, SI-02, SI-18: the reference-identity builder turns any combination of hostile
   * account facts into either a non-empty, duplicate-free list or an IllegalArgumentException /
   * IllegalStateException, never anything else.
   *
   * <p>Fails at the time of writing, for the same ICU exception as the DnsName property (a host or
   * email domain such as {@code "ü".repeat(1001)}).
   */
  @Property(tries = 2000)
  void property_referenceIdentitiesBuilder_anyAccountFacts_onlyIllegalArgumentOrState(
      @ForAll("builderScripts") List<Tuple.Tuple2<Integer, String>> script) {
    ReferenceIdentities built;
    try {
      ReferenceIdentities.Builder b = ReferenceIdentities.builder();
      for (Tuple.Tuple2<Integer, String> step : script) {
        String arg = step.get2();
        switch (step.get1()) {
          case 0:
            b.host(arg, HostProvenance.values()[Math.floorMod(arg.hashCode(), HostProvenance.values().length)]);
            break;
          case 1:
            b.emailDomain(arg);
            break;
          case 2:
            b.emailAddress(arg);
            break;
          case 3:
            b.service(MailService.values()[Math.floorMod(arg.hashCode(), MailService.values().length)]);
            break;
          case 4:
            b.emailDomainAsDnsId(arg.length() % 2 == 0);
            break;
          default:
            throw new AssertionError(step);
        }
      }
      built = b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "exception without a message");
      FuzzCertificates.assertSafeText(e.getMessage(), 2_000);
      return;
    }
    assertFalse(built.all().isEmpty(), "B.2: the list is never empty");
    assertEquals(built.all().size(), built.all().stream().map(ReferenceIdentity::toString).distinct().count(),
        () -> "duplicates: " + built);
    for (ReferenceIdentity r : built.all()) {
      FuzzCertificates.assertSafeText(r.describe(), 2_000);
    }
    assertEquals(built.all(), ReferenceIdentities.of(built.all()).all(), "of() must keep a built, duplicate-free list");
  }

  // ------------------------------------------------------------------ providers

  @Provide
  Arbitrary<String> hostileHostStrings() {
    Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(80);
    Arbitrary<String> tricky = Arbitraries.strings().withChars(TRICKY).ofMaxLength(40);
    Arbitrary<String> ldhish = Arbitraries.strings().withChars("abcXYZ019-.").ofMaxLength(70);
    Arbitrary<String> punycode = Arbitraries.strings().withChars("abcdefxyz0189-").ofMaxLength(30)
        .map(s -> "xn--" + s);
    Arbitrary<String> mixed = Combinators.combine(validReferenceNames(), tricky, Arbitraries.integers().between(0, 300))
        .as((valid, junk, at) -> {
          int i = Math.min(at, valid.length());
          return valid.substring(0, i) + junk + valid.substring(i);
        });
    // Lengths around every limit: 63 (label), 253 (name), 1000 (ICU's punycode limit), 1024 (MAX_INPUT_LENGTH).
    Arbitrary<Integer> lengths = Arbitraries.oneOf(Arbitraries.integers().between(60, 1100),
        Arbitraries.of(63, 64, 253, 254, 999, 1000, 1001, 1002, 1023, 1024, 1025));
    Arbitrary<String> longLabels = Combinators.combine(lengths,
            Arbitraries.of("a", "\u00fc", "-", "1", ".", "a.", "\u00df", "\ufdfa", "\u00fc."))
        .as((n, unit) -> unit.repeat(Math.max(1, n / unit.length())));
    Arbitrary<String> dots = Arbitraries.strings().withChars(".\u3002\uff0e\uff61a").ofMaxLength(8);
    return Arbitraries.frequencyOf(
        Tuple.of(3, anyChars), Tuple.of(3, tricky), Tuple.of(2, ldhish), Tuple.of(2, punycode),
        Tuple.of(3, mixed), Tuple.of(2, longLabels), Tuple.of(1, dots));
  }

  /** Valid reference names: 1 to 4 labels, ASCII LDH or a few U-labels, length within limits. */
  @Provide
  Arbitrary<String> validReferenceNames() {
    Arbitrary<String> label = Arbitraries.oneOf(PropertyMatchingTest.ldhLabels(),
        Arbitraries.of("b\u00fccher", "fa\u00df", "M\u00fcnchen", "\u03c0\u03b1\u03c1\u03ac\u03b4\u03b5\u03b9\u03b3\u03bc\u03b1",
            "\u043f\u0440\u0438\u043c\u0435\u0440", "\u4f8b\u3048", "xn--bcher-kva", "\u0645\u062b\u0627\u0644"));
    return label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l))
        .filter(FuzzCertificates::parses);
  }

  @Provide
  Arbitrary<String> ipLikeStrings() {
    Arbitrary<String> alphabet = Arbitraries.strings().withChars("0123456789abcdefABCDEF:.[]%x").ofMaxLength(50);
    Arbitrary<String> v4 = Arbitraries.integers().between(-1, 300).list().ofMinSize(1).ofMaxSize(6)
        .map(l -> String.join(".", l.stream().map(Object::toString).toList()));
    Arbitrary<String> v6 = Arbitraries.integers().between(0, 0x1ffff).list().ofMinSize(1).ofMaxSize(9)
        .map(l -> String.join(":", l.stream().map(Integer::toHexString).toList()))
        .flatMap(s -> Arbitraries.of(s, "::" + s, s + "::", "[" + s + "]", "::ffff:" + s, s + "%eth0"));
    return Arbitraries.frequencyOf(
        Tuple.of(3, alphabet), Tuple.of(2, v4), Tuple.of(2, v6), Tuple.of(1, Arbitraries.strings().all().ofMaxLength(70)));
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<Integer, String>>> builderScripts() {
    Arbitrary<String> arg = Arbitraries.oneOf(hostileHostStrings(), ipLikeStrings(), validReferenceNames(),
        Arbitraries.strings().withChars("ab.@\u00fc1").ofMaxLength(12),
        validReferenceNames().map(d -> "user@" + d));
    return Combinators.combine(Arbitraries.integers().between(0, 4), arg).as((op, a) -> Tuple.of(op, a))
        .list().ofMinSize(0).ofMaxSize(6);
  }
}
