package org.mailtls.provider.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CleartextAuthGate} and {@link CleartextAuthPolicy}: R8314-S-12 (gradual deprecation),
 * R8314-S-13 (identical refusal, verifier never asked), STL-09 (what is advertised before TLS).
 * No timing assertions: that the verifier is not called is the stronger property.
 */
class CleartextAuthGateTest {
  private static final List<String> CONFIGURED = List.of("PLAIN", "LOGIN", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS",
      "CRAM-MD5", "DIGEST-MD5", "NTLM", "XOAUTH2", "OAUTHBEARER", "gssapi", "EXTERNAL", "ANONYMOUS", "X-UNKNOWN");

  /** R8314-S-13: right and wrong password, cleartext, auth off: same instance, same bytes, verifier never asked. */
  @Test
  void check_cleartextOff_rightAndWrongPassword_identicalRefusal_verifierNeverCalled() {
    RecordingVerifier verifier = RecordingVerifier.standard();
    CleartextAuthGate gate = new CleartextAuthGate(CleartextAuthPolicy.disabledForEveryone());

    AuthDecision right = gate.check(false, "alice", "right", verifier);
    AuthDecision wrong = gate.check(false, "alice", "wrong", verifier);
    AuthDecision unknownUser = gate.check(false, "mallory", "guess", verifier);

    assertEquals(0, verifier.calls());
    assertSame(right, wrong);
    assertSame(right, unknownUser);
    assertSame(gate.refusal(), right);
    assertEquals(AuthDecision.Kind.REFUSED_CLEARTEXT, right.kind());
    assertFalse(right.isAllowed());
    AuthDecision.Refused r = (AuthDecision.Refused) right;
    AuthDecision.Refused w = (AuthDecision.Refused) wrong;
    assertArrayEquals(r.imap("a1"), w.imap("a1"));
    assertArrayEquals(r.pop3(), w.pop3());
    assertArrayEquals(r.smtp(), w.smtp());
    assertArrayEquals(r.manageSieve(), w.manageSieve());
    assertEquals("a1 NO [PRIVACYREQUIRED] " + CleartextAuthPolicy.DEFAULT_REFUSAL_TEXT + "\r\n",
        new String(r.imap("a1"), US_ASCII));
    assertEquals("-ERR [AUTH] " + CleartextAuthPolicy.DEFAULT_REFUSAL_TEXT + "\r\n", new String(r.pop3(), US_ASCII));
    assertEquals("538 5.7.11 " + CleartextAuthPolicy.DEFAULT_REFUSAL_TEXT + "\r\n", new String(r.smtp(), US_ASCII));
    assertEquals("NO (ENCRYPT-NEEDED) \"" + CleartextAuthPolicy.DEFAULT_REFUSAL_TEXT + "\"\r\n",
        new String(r.manageSieve(), US_ASCII));
  }

  /** Non-password mechanisms (SCRAM) ask by user: the same refusal instance, none over TLS or for allowed users. */
  @Test
  void refusalFor_userOnly() {
    CleartextAuthGate gate = new CleartextAuthGate(
        CleartextAuthPolicy.builder().allowByDefault(true).disableFor("alice").build());

    assertSame(gate.refusal(), gate.refusalFor(false, "alice").orElseThrow());
    assertTrue(gate.refusalFor(true, "alice").isEmpty());
    assertTrue(gate.refusalFor(false, "bob").isEmpty());
  }

  /** Over TLS the verifier decides, whatever the cleartext policy. */
  @Test
  void check_tls_verifierCalled() {
    RecordingVerifier verifier = RecordingVerifier.standard();
    CleartextAuthGate gate = new CleartextAuthGate(CleartextAuthPolicy.disabledForEveryone());

    assertEquals(new AuthDecision.Allowed("alice"), gate.check(true, "alice", "right", verifier));
    assertEquals(new AuthDecision.Rejected(), gate.check(true, "alice", "wrong", verifier));
    assertEquals(2, verifier.calls());
  }

  /** Legacy: cleartext allowed for everyone, so the verifier decides on cleartext too. */
  @Test
  void check_allowedForEveryone_cleartextVerified() {
    RecordingVerifier verifier = RecordingVerifier.standard();
    CleartextAuthGate gate = new CleartextAuthGate(CleartextAuthPolicy.allowedForEveryone());

    assertTrue(gate.check(false, "alice", "right", verifier).isAllowed());
    assertEquals(AuthDecision.Kind.REJECTED, gate.check(false, "alice", "wrong", verifier).kind());
    assertEquals(2, verifier.calls());
  }

  /** R8314-S-12, user by user: alice moved to TLS (also as "ALICE"), bob has not. */
  @Test
  void check_disabledForOneUser_onlyThatUserRefused() {
    RecordingVerifier verifier = RecordingVerifier.standard();
    CleartextAuthGate gate = new CleartextAuthGate(
        CleartextAuthPolicy.builder().allowByDefault(true).disableFor("alice").build());

    assertInstanceOf(AuthDecision.Refused.class, gate.check(false, "alice", "right", verifier));
    assertInstanceOf(AuthDecision.Refused.class, gate.check(false, "ALICE", "wrong", verifier));
    assertEquals(0, verifier.calls());
    assertTrue(gate.check(false, "bob", "right", verifier).isAllowed());
    assertEquals(1, verifier.calls());
    assertTrue(gate.check(true, "alice", "right", verifier).isAllowed());
  }

  /** Allow-list of legacy users, default off; disabling wins over allowing. */
  @Test
  void check_allowListWithDefaultOff_disableWins() {
    RecordingVerifier verifier = RecordingVerifier.standard();
    CleartextAuthPolicy policy =
        CleartextAuthPolicy.builder().allowFor("legacy", "bob").disableFor("bob").build();
    CleartextAuthGate gate = new CleartextAuthGate(policy);

    assertTrue(gate.check(false, "legacy", "right", verifier).isAllowed());
    assertInstanceOf(AuthDecision.Refused.class, gate.check(false, "bob", "right", verifier));
    assertInstanceOf(AuthDecision.Refused.class, gate.check(false, "alice", "right", verifier));
    assertEquals(1, verifier.calls());
    assertTrue(policy.allowsCleartextForAnyone());
    assertFalse(CleartextAuthPolicy.builder().allowFor("bob").disableFor("bob").build().allowsCleartextForAnyone());
  }

  /** STL-09: before TLS with cleartext off, only mechanisms that expose no password; over TLS, all. */
  @Test
  void mechanismsToAdvertise_beforeAndAfterTls() {
    CleartextAuthGate off = new CleartextAuthGate(CleartextAuthPolicy.disabledForEveryone());

    assertEquals(List.of("gssapi", "EXTERNAL", "ANONYMOUS"), off.mechanismsToAdvertise(false, CONFIGURED));
    assertEquals(CONFIGURED, off.mechanismsToAdvertise(true, CONFIGURED));
    assertFalse(off.mechanismsToAdvertise(false, List.of("plain", "Login")).contains("plain"));
    assertEquals(List.of(), off.mechanismsToAdvertise(false, List.of("plain", "Login")));
  }

  /** Someone may still log in over cleartext: the configured list stays (check() still guards each user). */
  @Test
  void mechanismsToAdvertise_someoneStillAllowed_unchanged() {
    CleartextAuthGate perUser = new CleartextAuthGate(
        CleartextAuthPolicy.builder().allowByDefault(true).disableFor("alice").build());
    CleartextAuthGate legacy = new CleartextAuthGate(CleartextAuthPolicy.builder().allowFor("legacy").build());

    assertEquals(CONFIGURED, perUser.mechanismsToAdvertise(false, CONFIGURED));
    assertEquals(CONFIGURED, legacy.mechanismsToAdvertise(false, CONFIGURED));
  }

  /** IMAP LOGINDISABLED: on cleartext when nobody may log in there; never over TLS. */
  @Test
  void imapLoginDisabled() {
    assertTrue(new CleartextAuthGate(CleartextAuthPolicy.disabledForEveryone()).imapLoginDisabled(false));
    assertFalse(new CleartextAuthGate(CleartextAuthPolicy.disabledForEveryone()).imapLoginDisabled(true));
    assertFalse(new CleartextAuthGate(CleartextAuthPolicy.allowedForEveryone()).imapLoginDisabled(false));
    assertFalse(new CleartextAuthGate(CleartextAuthPolicy.builder().allowFor("legacy").build()).imapLoginDisabled(false));
  }

  /** The refusal text goes into response lines: no CR/LF, no quotes, ASCII; tags are validated too. */
  @Test
  void refusalText_validated() {
    assertThrows(IllegalArgumentException.class,
        () -> CleartextAuthPolicy.builder().refusalText("use TLS\r\n* OK [ALERT] injected"));
    assertThrows(IllegalArgumentException.class, () -> CleartextAuthPolicy.builder().refusalText("say \"TLS\""));
    assertThrows(IllegalArgumentException.class, () -> CleartextAuthPolicy.builder().refusalText(" "));
    assertThrows(IllegalArgumentException.class, () -> new AuthDecision.Refused("a\nb"));
    AuthDecision.Refused r = new AuthDecision.Refused("Use port 993");
    assertThrows(IllegalArgumentException.class, () -> r.imap("a b"));
    assertThrows(IllegalArgumentException.class, () -> r.imap(""));
    CleartextAuthGate gate = new CleartextAuthGate(CleartextAuthPolicy.builder().refusalText("Use port 993").build());
    assertEquals(r, gate.refusal());
    assertEquals("x NO [PRIVACYREQUIRED] Use port 993\r\n", new String(gate.refusal().imap("x"), US_ASCII));
  }

  @Test
  void policy_valueSemantics() {
    assertEquals(CleartextAuthPolicy.disabledForEveryone(), CleartextAuthPolicy.builder().build());
    assertEquals(CleartextAuthPolicy.builder().disableFor("Alice").build(),
        CleartextAuthPolicy.builder().disableFor("alice").build());
    assertEquals(CleartextAuthPolicy.builder().disableFor("alice").build().hashCode(),
        CleartextAuthPolicy.builder().disableFor("ALICE").build().hashCode());
    assertNotEquals(CleartextAuthPolicy.disabledForEveryone(), CleartextAuthPolicy.allowedForEveryone());
    assertFalse(CleartextAuthPolicy.disabledForEveryone().allowsCleartext("anyone"));
    assertTrue(CleartextAuthPolicy.allowedForEveryone().allowsCleartext("anyone"));
    assertThrows(IllegalArgumentException.class, () -> CleartextAuthPolicy.builder().disableFor(""));
  }
}
