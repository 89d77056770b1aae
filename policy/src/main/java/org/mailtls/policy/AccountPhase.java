package org.mailtls.policy;

/**
 * Where an account is in its life. Pins may only be taken during {@link #SETUP}, in answer to a
 * validation failure the user saw (RFC 8314 §5.4, R8314-C-28); an {@link #ESTABLISHED} account
 * never offers pinning after a failure (R8314-C-29).
 */
public enum AccountPhase {
  /** The user is creating the account and watching the result of each connection attempt. */
  SETUP,
  /** The account is in use: any validation failure is a hard failure. */
  ESTABLISHED
}
