package org.mailtls.policy.identity;

import com.ibm.icu.text.IDNA;
import java.util.Set;

/**
 * IDNA2008 conversion through ICU4J's UTS #46 implementation, non-transitional.
 *
 * <p>Why not {@link java.net.IDN}: it implements IDNA2003, which maps {@code faß.de} to {@code
 * fass.de} (a different registered domain) and knows nothing of the IDNA2008 context rules. RFC
 * 9525 §6.3 (SI-07) compares A-labels, so the conversion decides which server a user reaches.
 */
final class Idna {
  private static final IDNA UTS46 =
      IDNA.getUTS46Instance(
          IDNA.NONTRANSITIONAL_TO_ASCII
              | IDNA.NONTRANSITIONAL_TO_UNICODE
              | IDNA.USE_STD3_RULES
              | IDNA.CHECK_BIDI
              | IDNA.CHECK_CONTEXTJ
              | IDNA.CHECK_CONTEXTO);

  private Idna() {}

  /** Returns the lower-case A-label form of {@code name}, or throws naming the IDNA errors. */
  static String toAscii(String name) {
    IDNA.Info info = new IDNA.Info();
    StringBuilder out = new StringBuilder(name.length() + 8);
    try {
      UTS46.nameToASCII(name, out, info);
    } catch (RuntimeException e) {
      // ICU throws its own unchecked exceptions for some inputs (e.g. ICUInputTooLongException
      // for labels beyond punycode's limits); callers are promised IllegalArgumentException.
      throw new IllegalArgumentException(
          "not a valid IDNA2008 host name: \"" + Printable.of(name) + "\" (" + e.getClass().getSimpleName() + ")", e);
    }
    if (info.hasErrors()) {
      throw new IllegalArgumentException(
          "not a valid IDNA2008 host name: \"" + Printable.of(name) + "\" (" + describe(info.getErrors()) + ")");
    }
    return out.toString();
  }

  /** Returns the Unicode form of an A-label name for display, or the name itself if it has none. */
  static String toUnicode(String asciiName) {
    IDNA.Info info = new IDNA.Info();
    StringBuilder out = new StringBuilder(asciiName.length());
    UTS46.nameToUnicode(asciiName, out, info);
    return info.hasErrors() ? asciiName : out.toString();
  }

  private static String describe(Set<IDNA.Error> errors) {
    StringBuilder sb = new StringBuilder();
    for (IDNA.Error e : errors) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    }
    return sb.toString();
  }
}
