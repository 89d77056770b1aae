package org.mailtls.policy.pin;

import com.google.common.collect.ImmutableList;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.mailtls.policy.AccountPhase;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailEndpoint;
import org.mailtls.policy.TrustDecision;

/**
 * The only way to make a pin: in answer to a refusal the user saw, for an account in its setup
 * phase (RFC 8314 §5.4, R8314-C-28). It refuses for an established account (R8314-C-29), for a
 * refusal a pin may not stand in for (version, suite, key-size, signature floors), and for an
 * endpoint that is not the account's. The pin is bound to the account and the endpoint (C-30).
 */
public final class PinGrant {
  private PinGrant() {}

  /**
   * Makes the pin for the leaf of {@code refusal}'s presented chain and adds it to {@code store}.
   *
   * @throws IllegalStateException if the rule forbids pinning here, saying which rule
   * @throws PinStoreException if the store cannot persist it
   */
  public static CertificatePin grant(AccountPolicy account, MailEndpoint endpoint, TrustDecision.Refused refusal,
      PinStore store, Clock clock) throws PinStoreException {
    if (account.phase() != AccountPhase.SETUP) {
      throw new IllegalStateException("account " + account.accountId() + " is established: a validation failure on"
          + " an existing account is never answered with a pin (RFC 8314 §5.4, R8314-C-29); fix the server or the"
          + " account's trust anchors");
    }
    if (!refusal.pinnable()) {
      throw new IllegalStateException("a pin cannot stand in for this failure (" + refusal.rule() + "): pins replace"
          + " chain, expiry and name validation, never the version, cipher, key-size or signature floors");
    }
    if (!account.endpoints().contains(endpoint)) {
      throw new IllegalStateException("endpoint " + endpoint + " is not one of account " + account.accountId()
          + "'s endpoints " + account.endpoints());
    }
    ImmutableList.Builder<String> chain = ImmutableList.builder();
    for (X509Certificate c : refusal.presented()) {
      chain.add(CertificatePin.fingerprint(c));
    }
    ImmutableList<String> fingerprints = chain.build();
    CertificatePin pin = CertificatePin.of(account.accountId(), endpoint.normalizedHost(), endpoint.port(),
        endpoint.service(), fingerprints.get(0), clock.instant(), fingerprints,
        refusal.rule() + ": " + firstLine(refusal.reason()));
    store.add(pin);
    return pin;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
