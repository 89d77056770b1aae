package org.mailtls.provider.server;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.annotations.Immutable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Enforces a {@link CleartextAuthPolicy} at the point where a server handles LOGIN, USER/PASS or
 * AUTH, and says what to advertise before TLS.
 *
 * <p>{@link #check}: when the channel is not TLS and the policy forbids cleartext authentication for
 * the user, the answer is the policy's single {@link AuthDecision.Refused} instance and the {@link
 * PasswordVerifier} is never called (RFC 8314 §4.1, R8314-S-13: right and wrong passwords get the
 * identical refusal; a verifier that was never asked cannot leak its answer through the response,
 * through a lock-out counter, or through its timing). Otherwise the verifier decides.
 *
 * <p>{@link #mechanismsToAdvertise}: before TLS, when nobody may authenticate over cleartext, only SASL
 * mechanisms that expose no password and no password-equivalent are listed (STL-09; "NO STARTTLS",
 * Nemesis; RFC 4954 §4). It is an allow-list — EXTERNAL, GSSAPI, GS2-KRB5, ANONYMOUS — so a mechanism this class does
 * not know is dropped. Dropped are, among others: PLAIN and LOGIN (the password itself); CRAM-MD5,
 * DIGEST-MD5 and NTLM (offline dictionary attacks on one captured exchange); SCRAM-* (offline
 * dictionary attack without TLS, RFC 5802 §9; the -PLUS variants need TLS anyway); OAUTHBEARER and
 * XOAUTH2 (a bearer token is a password-equivalent, RFC 7628 §5). When some users may still log in over
 * cleartext, the configured list is advertised unchanged: they need it, and {@link #check} still
 * refuses everyone else.
 *
 * <p>Immutable and thread-safe.
 */
@Immutable
public final class CleartextAuthGate {
  private static final ImmutableSet<String> SAFE_WITHOUT_TLS =
      ImmutableSet.of("EXTERNAL", "GSSAPI", "GS2-KRB5", "ANONYMOUS");

  private final CleartextAuthPolicy policy;
  private final AuthDecision.Refused refusal;

  /** A gate enforcing {@code policy}. */
  public CleartextAuthGate(CleartextAuthPolicy policy) {
    this.policy = policy;
    this.refusal = new AuthDecision.Refused(policy.refusalText());
  }

  /** The policy this gate enforces. */
  public CleartextAuthPolicy policy() {
    return policy;
  }

  /**
   * Decides a password login.
   *
   * @param channelIsTls whether the connection is protected by TLS (implicit or after STARTTLS)
   * @param user the user name the client sent
   * @param password the password the client sent; never stored, and not read on a refusal
   * @param verifier the server's password check; called only when the login is permitted
   * @return {@link AuthDecision.Refused} (the same instance every time) when cleartext authentication
   *     is off for {@code user} on a cleartext channel; otherwise {@link AuthDecision.Allowed} or
   *     {@link AuthDecision.Rejected} as the verifier says
   */
  public AuthDecision check(boolean channelIsTls, String user, CharSequence password, PasswordVerifier verifier) {
    if (!channelIsTls && !policy.allowsCleartext(user)) {
      return refusal;
    }
    return verifier.verify(user, password) ? new AuthDecision.Allowed(user) : new AuthDecision.Rejected();
  }

  /**
   * For mechanisms that never hand the server a password (SCRAM-*, CRAM-MD5, OAUTHBEARER), which
   * {@link #check} cannot gate: call this as soon as the authentication identity is known (SCRAM's
   * client-first message) and, if a refusal is returned, send it and stop the exchange before any
   * server challenge or outcome that depends on the credentials.
   */
  public Optional<AuthDecision.Refused> refusalFor(boolean channelIsTls, String user) {
    return !channelIsTls && !policy.allowsCleartext(user) ? Optional.of(refusal) : Optional.empty();
  }

  /** The refusal {@link #check} returns: render it for a LOGIN that arrives while LOGINDISABLED is advertised. */
  public AuthDecision.Refused refusal() {
    return refusal;
  }

  /**
   * The SASL mechanisms to list in CAPABILITY / EHLO / CAPA / ManageSieve SASL now: all of {@code
   * configured} over TLS, or when someone may still log in over cleartext; otherwise only those that
   * expose no password (see the class comment). Order is kept; names are compared case-insensitively.
   */
  public List<String> mechanismsToAdvertise(boolean channelIsTls, List<String> configured) {
    if (channelIsTls || policy.allowsCleartextForAnyone()) {
      return ImmutableList.copyOf(configured);
    }
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (String m : configured) {
      if (safeWithoutTls(m)) {
        out.add(m);
      }
    }
    return out.build();
  }

  /**
   * IMAP: whether to list {@code LOGINDISABLED} (RFC 3501 §6.2.3, RFC 9051 §6.2.3; STL-09): on a
   * cleartext channel when nobody may log in over cleartext. The LOGIN command must then be refused;
   * {@link #check} does so with {@link #refusal()}.
   */
  public boolean imapLoginDisabled(boolean channelIsTls) {
    return !channelIsTls && !policy.allowsCleartextForAnyone();
  }

  /** Whether {@code mechanism} is on the allow-list of mechanisms that expose no password without TLS. */
  public static boolean safeWithoutTls(String mechanism) {
    return SAFE_WITHOUT_TLS.contains(mechanism.toUpperCase(Locale.ROOT));
  }
}
