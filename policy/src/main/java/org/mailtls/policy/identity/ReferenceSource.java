package org.mailtls.policy.identity;

/** Where a reference identity came from (requirements.md B.2). */
public enum ReferenceSource {
  /** The host the client connects to, as typed or stored, never a CNAME target (R7817-C-04 (b)). */
  CONNECTED_HOST("the host connected to"),
  /** The domain part of the user's email address (R7817-C-04 (a)). */
  EMAIL_DOMAIN("the email domain"),
  /** The email domain with the service, because the account was set up by RFC 6186 SRV discovery (R7817-C-05). */
  SRV_DISCOVERY("the email domain, for an account set up by RFC 6186 discovery"),
  /** Given directly by the caller (tests, tools), with no account context. */
  EXPLICIT("given explicitly");

  private final String description;

  ReferenceSource(String description) {
    this.description = description;
  }

  /** A short phrase for messages. */
  public String description() {
    return description;
  }
}
