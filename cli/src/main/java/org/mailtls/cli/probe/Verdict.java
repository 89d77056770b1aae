package org.mailtls.cli.probe;

/**
 * One line of the report's verdict list: a question about the server and its answer.
 *
 * @param id a stable identifier for scripts ({@code identity}, {@code tls11}, ...)
 * @param title what a good server does, e.g. "refuses TLS 1.1"
 * @param rule the RFC sections and MailTLS requirement IDs behind it
 * @param status the answer
 * @param required whether the exit status depends on it; advice (implicit TLS offered, no cleartext
 *     password offer) is reported but does not make a server fail the policy
 * @param detail what the probe saw, one line
 */
public record Verdict(String id, String title, String rule, Status status, boolean required, String detail) {

  /** The answer to a verdict's question. */
  public enum Status {
    /** The server does what the rule asks. */
    PASS,
    /** The server breaks the rule. */
    FAIL,
    /** The probe could not find out (no connection, no dialogue): a required check then fails the policy. */
    UNKNOWN,
    /** Advice not followed; does not affect the exit status. */
    WARN
  }

  /** True when this verdict stops the server from meeting the policy. */
  public boolean blocks() {
    return required && status != Status.PASS;
  }
}
