package org.mailtls.cli.probe;

import java.net.ProtocolException;

/**
 * The server's cleartext dialogue did not lead to TLS: STARTTLS not offered, refused, PREAUTH, an
 * answer out of protocol, or bytes injected before TLS. The message is one line for the report;
 * the server is judged as not meeting the policy (exit 1), unlike a connection that cannot be made.
 */
public final class DialogueException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public DialogueException(String message) {
    super(message);
  }
}
