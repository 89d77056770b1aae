package org.mailtls.policy.pin;

/**
 * A pin store could not be read or written. The message names the file (and line, for a parse
 * error) and what to do; the store's previous content is never lost.
 */
public final class PinStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public PinStoreException(String message) {
    super(message);
  }

  public PinStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
