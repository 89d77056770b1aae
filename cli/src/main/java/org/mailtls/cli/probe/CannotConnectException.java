package org.mailtls.cli.probe;

import java.io.IOException;

/**
 * The TCP connection to the server could not be made (unknown host, refused, unreachable, timed
 * out): nothing about the server's TLS can be said, so the probe exits with status 2, not 1.
 */
public final class CannotConnectException extends IOException {
  private static final long serialVersionUID = 1L;

  CannotConnectException(String message, Throwable cause) {
    super(message, cause);
  }
}
