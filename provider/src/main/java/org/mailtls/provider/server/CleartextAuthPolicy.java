package org.mailtls.provider.server;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Sets;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.Immutable;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who may still authenticate with a password over an unencrypted channel.
 *
 * <p>Why: RFC 8314 §4.1 lets operators retire cleartext logins gradually (R8314-S-12: for everyone
 * at once, or user by user as they move to TLS, leaving a few legacy systems), and once a user may no
 * longer log in over cleartext, a cleartext attempt must be refused without revealing whether the
 * password was right (R8314-S-13). This value says who is affected; {@link CleartextAuthGate}
 * enforces it.
 *
 * <p>The decision for a user: listed in {@link Builder#disableFor} → disabled; else listed in {@link
 * Builder#allowFor} → allowed; else the default ({@link Builder#allowByDefault}, false unless set).
 * Disabling wins, so a mistake fails closed. User names are compared case-insensitively ({@link
 * Locale#ROOT}), so "Alice" cannot slip past a rule for "alice". If the verifier accepts several
 * names for one account (say "alice" and "alice@example.net"), list every one of them in {@code
 * disableFor}, or prefer an allow-list ({@code allowFor} with the default off), which fails closed.
 *
 * <p>Immutable.
 */
@Immutable
public final class CleartextAuthPolicy {
  /** The refusal text unless {@link Builder#refusalText} sets another. */
  public static final String DEFAULT_REFUSAL_TEXT =
      "Authentication over an unencrypted connection is disabled; connect with TLS";

  private static final CleartextAuthPolicy DISABLED = builder().build();
  private static final CleartextAuthPolicy ALLOWED = builder().allowByDefault(true).build();

  private final boolean allowByDefault;
  private final ImmutableSet<String> allowed;
  private final ImmutableSet<String> disabled;
  private final String refusalText;

  private CleartextAuthPolicy(Builder b) {
    this.allowByDefault = b.allowByDefault;
    this.disabled = ImmutableSet.copyOf(b.disabled);
    this.allowed = ImmutableSet.copyOf(Sets.difference(b.allowed, b.disabled));
    this.refusalText = b.refusalText;
  }

  /** Cleartext authentication off for everyone: the goal of RFC 8314 §4.1, and the builder's default. */
  public static CleartextAuthPolicy disabledForEveryone() {
    return DISABLED;
  }

  /** Legacy: cleartext authentication allowed for everyone. Only while users migrate (R8314-S-06). */
  public static CleartextAuthPolicy allowedForEveryone() {
    return ALLOWED;
  }

  /** A builder; without further calls it builds {@link #disabledForEveryone()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code user} may authenticate with a password over a cleartext channel. */
  public boolean allowsCleartext(String user) {
    String u = normalize(user);
    if (disabled.contains(u)) {
      return false;
    }
    return allowed.contains(u) || allowByDefault;
  }

  /**
   * Whether anyone at all may authenticate over cleartext. Before authentication the user is not
   * known, so what a server advertises in cleartext depends on this (STL-09).
   */
  public boolean allowsCleartextForAnyone() {
    return allowByDefault || !allowed.isEmpty();
  }

  /** The text of every cleartext refusal under this policy. */
  public String refusalText() {
    return refusalText;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CleartextAuthPolicy p && p.allowByDefault == allowByDefault && p.allowed.equals(allowed)
        && p.disabled.equals(disabled) && p.refusalText.equals(refusalText);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allowByDefault, allowed, disabled, refusalText);
  }

  @Override
  public String toString() {
    return "CleartextAuthPolicy[default " + (allowByDefault ? "allowed" : "disabled") + ", allowed for " + allowed
        + ", disabled for " + disabled + "]";
  }

  static String normalize(String user) {
    return user.toLowerCase(Locale.ROOT);
  }

  static boolean isPrintableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** A refusal text must fit in every protocol's response line, including a ManageSieve quoted string. */
  static String checkRefusalText(String text) {
    if (text.isBlank() || !isPrintableAscii(text) || text.indexOf('"') >= 0 || text.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("the refusal text must be non-blank printable ASCII without quotes or"
          + " backslashes (it goes into IMAP, POP3, SMTP and ManageSieve response lines): \"" + text + "\"");
    }
    return text;
  }

  /** Builds a {@link CleartextAuthPolicy}; starts as "disabled for everyone". */
  public static final class Builder {
    private boolean allowByDefault;
    private final Set<String> allowed = new LinkedHashSet<>();
    private final Set<String> disabled = new LinkedHashSet<>();
    private String refusalText = DEFAULT_REFUSAL_TEXT;

    private Builder() {}

    /** Whether users not listed anywhere may authenticate over cleartext (default false). */
    @CanIgnoreReturnValue
    public Builder allowByDefault(boolean allow) {
      this.allowByDefault = allow;
      return this;
    }

    /** Users who may no longer authenticate over cleartext; wins over {@link #allowFor}. */
    @CanIgnoreReturnValue
    public Builder disableFor(String... users) {
      return add(disabled, users);
    }

    /** Legacy users who may still authenticate over cleartext when the default is off. */
    @CanIgnoreReturnValue
    public Builder allowFor(String... users) {
      return add(allowed, users);
    }

    /** The refusal text (printable ASCII, no quotes or backslashes). */
    @CanIgnoreReturnValue
    public Builder refusalText(String text) {
      this.refusalText = checkRefusalText(text);
      return this;
    }

    public CleartextAuthPolicy build() {
      return new CleartextAuthPolicy(this);
    }

    private Builder add(Set<String> into, String... users) {
      for (String u : Arrays.asList(users)) {
        if (u.isEmpty()) {
          throw new IllegalArgumentException("empty user name");
        }
        into.add(normalize(u));
      }
      return this;
    }
  }
}
