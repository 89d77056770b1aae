package org.mailtls.policy.received;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.errorprone.annotations.Immutable;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The {@code tls} clause of a Received stamp, with its optional {@code group} clause (RFC 8314
 * §4.3 and §7.4; requirements.md B.8, R8314-S-10, R8314-S-17): {@code tls
 * TLS_AES_256_GCM_SHA384 group x25519}.
 *
 * <p>Why: the {@code ESMTPS}/{@code ESMTPSA} "with" keywords (RFC 3848) only say that TLS was used;
 * the negotiated suite says how well. RFC 8314 §4.3 asks a submission server to record it as an
 * RFC 5321 §4.4 additional registered clause, after {@code with}/{@code id}/{@code for} and before
 * the {@code ;} that starts the date.
 *
 * <p>Grammar (B.8): {@code suitename = ALPHA *(ALPHA / DIGIT / "_")}, the IANA "TLS Cipher
 * Suites" name; {@code suitehex = "0x" 4HEXDIG}, only when the name is not known; {@code groupname
 * = ALPHA *(ALPHA / DIGIT / "_" / "-")}, the IANA "TLS Supported Groups" name. A group exists only
 * together with a suite: this type has no way to make a group alone.
 *
 * <p>Hex convention: ABNF literals are case-insensitive (RFC 5234 §2.3), so {@code 0XcCa9}
 * parses; MailTLS always writes lower-case {@code 0x} and upper-case hex digits ({@code 0xCCA9}),
 * the spelling of requirements.md B.8 and of the IANA registry's value column ({@code 0xCC,0xA9}).
 * Names are kept exactly as given: IANA spells some with lower case ({@code TLS_DH_anon_...},
 * {@code x25519}), so equality is case-sensitive.
 */
@Immutable
public final class ReceivedTlsClause {
  /**
   * Longest suite or group name accepted: the longest IANA names are under 50 characters; the limit
   * keeps hostile input from being echoed at length.
   */
  public static final int MAX_NAME_LENGTH = 64;

  private final String suite;
  private final int codePoint;
  private final @Nullable String group;

  private ReceivedTlsClause(String suite, int codePoint, @Nullable String group) {
    this.suite = suite;
    this.codePoint = codePoint;
    this.group = group;
  }

  /**
   * A clause naming the suite by its IANA name, e.g. {@code TLS_AES_128_GCM_SHA256}. Any name of
   * the right shape is accepted (the registry grows); JSSE's {@code SSL_} spellings are refused
   * because they are not IANA names: use {@link #forJsseSuite(String)} for names from JSSE.
   *
   * @throws IllegalArgumentException if the name does not match {@code ALPHA *(ALPHA / DIGIT /
   *     "_")}, is longer than {@link #MAX_NAME_LENGTH}, or is a JSSE-only spelling
   */
  public static ReceivedTlsClause of(String ianaSuiteName) {
    checkName(ianaSuiteName, false, "cipher suite");
    checkArgument(CipherSuiteTable.legacyCodePointOf(ianaSuiteName).isEmpty(),
        "%s is a JSSE name, not an IANA cipher suite name; use forJsseSuite(\"%s\") (RFC 8314 §4.3)",
        ianaSuiteName, ianaSuiteName);
    return new ReceivedTlsClause(
        ianaSuiteName, CipherSuiteTable.codePointOf(ianaSuiteName).orElse(-1), null);
  }

  /**
   * A clause naming the suite by its 16-bit code point, rendered {@code 0x} + 4 upper-case hex
   * digits. RFC 8314 §4.3 allows this form only when the name is not known; the form is kept even
   * when MailTLS knows the name, because that is what the caller asked to write.
   *
   * @throws IllegalArgumentException if the code point is outside 0x0000..0xFFFF
   */
  public static ReceivedTlsClause ofCodePoint(int codePoint) {
    checkArgument(codePoint >= 0 && codePoint <= 0xFFFF,
        "cipher suite code point %s is not a 16-bit value (RFC 8446 §B.4: two bytes)", codePoint);
    return new ReceivedTlsClause(String.format(Locale.ROOT, "0x%04X", codePoint), codePoint, null);
  }

  /**
   * The clause for a suite as JSSE names it ({@code SSLSession.getCipherSuite()}): the IANA name
   * when MailTLS knows it (translating the legacy {@code SSL_} spellings), else the code point when
   * known. A name MailTLS knows neither as IANA name nor as JSSE legacy name is refused, because
   * writing it would invent a registry name, and its code point cannot be learnt from JSSE.
   *
   * @throws IllegalArgumentException for a name MailTLS does not know
   */
  public static ReceivedTlsClause forJsseSuite(String jsseName) {
    Objects.requireNonNull(jsseName, "jsseName");
    OptionalInt ianaCode = CipherSuiteTable.codePointOf(jsseName);
    if (ianaCode.isPresent()) {
      return new ReceivedTlsClause(jsseName, ianaCode.getAsInt(), null);
    }
    OptionalInt legacy = CipherSuiteTable.legacyCodePointOf(jsseName);
    checkArgument(legacy.isPresent(),
        "unknown cipher suite %s: MailTLS knows neither its IANA name nor its code point, and RFC 8314"
            + " §4.3 allows only a registered name or 0x + 4 hex digits; use ofCodePoint(...) if the code"
            + " point is known", printable(jsseName));
    int code = legacy.getAsInt();
    return CipherSuiteTable.ianaNameOf(code)
        .map(name -> new ReceivedTlsClause(name, code, null))
        .orElseGet(() -> ofCodePoint(code));
  }

  /**
   * Parses the suite token of a {@code tls} clause as written in a Received field: a name, or
   * {@code 0x}/{@code 0X} + exactly 4 hex digits in either case.
   */
  static ReceivedTlsClause parseSuite(String token) {
    if (token.length() > 2 && token.charAt(0) == '0' && (token.charAt(1) == 'x' || token.charAt(1) == 'X')) {
      checkArgument(token.length() == 6 && isHex(token.substring(2)),
          "malformed cipher suite %s: the hex form is 0x + exactly 4 hex digits (RFC 8314 §4.3)",
          printable(token));
      return ofCodePoint(Integer.parseInt(token.substring(2), 16));
    }
    return of(token);
  }

  /**
   * This clause with a {@code group} clause naming the key-exchange group, e.g. {@code x25519},
   * {@code secp256r1}, {@code X25519MLKEM768} (IANA "TLS Supported Groups" names). Replaces any
   * group already set. JSSE has no public API for the negotiated group, so most callers omit it.
   *
   * @throws IllegalArgumentException if the name does not match {@code ALPHA *(ALPHA / DIGIT / "_"
   *     / "-")} or is longer than {@link #MAX_NAME_LENGTH}
   */
  public ReceivedTlsClause withGroup(String ianaGroupName) {
    checkName(ianaGroupName, true, "group");
    return new ReceivedTlsClause(suite, codePoint, ianaGroupName);
  }

  /** The suite as written in the clause: the IANA name, or {@code 0x} + 4 upper-case hex digits. */
  public String suite() {
    return suite;
  }

  /** The IANA suite name, or empty when the clause carries the hex form. */
  public Optional<String> suiteName() {
    return isHexForm() ? Optional.empty() : Optional.of(suite);
  }

  /** The suite's code point: from the hex form, or from MailTLS's table for a known name. */
  public OptionalInt codePoint() {
    return codePoint < 0 ? OptionalInt.empty() : OptionalInt.of(codePoint);
  }

  /** The IANA group name, when the clause has a {@code group} part. */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  /**
   * The clause text for the optional-info part of a Received stamp, without the surrounding white
   * space: {@code tls TLS_AES_256_GCM_SHA384 group x25519}, or {@code tls 0xCCA9}.
   */
  public String render() {
    return group == null ? "tls " + suite : "tls " + suite + " group " + group;
  }

  private boolean isHexForm() {
    return suite.startsWith("0x");
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ReceivedTlsClause
        && suite.equals(((ReceivedTlsClause) o).suite)
        && Objects.equals(group, ((ReceivedTlsClause) o).group);
  }

  @Override
  public int hashCode() {
    return Objects.hash(suite, group);
  }

  @Override
  public String toString() {
    return render();
  }

  private static void checkName(String name, boolean dashAllowed, String what) {
    Objects.requireNonNull(name, what);
    checkArgument(!name.isEmpty(), "empty %s name (RFC 8314 §4.3)", what);
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s name of %d characters is longer than %d: %s...", what, name.length(), MAX_NAME_LENGTH,
          printable(name.substring(0, 16))));
    }
    boolean ok = isAsciiAlpha(name.charAt(0));
    for (int i = 1; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      ok = isAsciiAlpha(c) || (c >= '0' && c <= '9') || c == '_' || (dashAllowed && c == '-');
    }
    checkArgument(ok, "malformed %s name %s: expected ALPHA *(ALPHA / DIGIT / \"_\"%s) (RFC 8314 §4.3,"
        + " requirements.md B.8)", what, printable(name), dashAllowed ? " / \"-\"" : "");
  }

  private static boolean isAsciiAlpha(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Quotes a value for an error message, escaping anything that is not printable ASCII. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? String.valueOf(c)
          : String.format(Locale.ROOT, "\\u%04X", (int) c));
    }
    return b.append(s.length() > 80 ? "\"..." : "\"").toString();
  }
}
