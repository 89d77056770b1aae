package org.mailtls.provider.server;

import java.io.IOException;

/**
 * The client sent bytes after its STARTTLS command before the server's go-ahead, and the upgrade
 * was configured to close rather than discard ({@link StartTlsUpgrade#closingOnInjectedBytes()}), or
 * it sent more than the upgrade is willing to discard. The connection is closed; no go-ahead was
 * written.
 *
 * <p>A legitimate client never does this (RFC 3501 §6.2.1, RFC 2595 §4, RFC 3207 §4.2, STL-01), so
 * such bytes are either a broken client or a command-injection attempt (STL-03, CVE-2011-0411).
 */
public final class StartTlsInjectionException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long injectedBytes;

  StartTlsInjectionException(long injectedBytes, String message) {
    super(message);
    this.injectedBytes = injectedBytes;
  }

  /** How many bytes followed the STARTTLS line (at least this many: the count stops at the cap). */
  public long injectedBytes() {
    return injectedBytes;
  }
}
