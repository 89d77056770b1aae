package org.mailtls.cli.probe;

/**
 * A command line the probe cannot run: bad target, port, service, option combination or trust file.
 * Its message is the whole one-line explanation; the command exits with status 2.
 */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An error whose message is shown as is, after "mailtls probe: ". */
  public UsageException(String message) {
    super(message);
  }
}
