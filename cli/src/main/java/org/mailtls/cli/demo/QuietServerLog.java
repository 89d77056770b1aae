package org.mailtls.cli.demo;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the demo servers' per-handshake cipher log (MailTLS logs each server handshake at INFO on
 * {@code org.mailtls.handshake}, R8314-S-11) off the terminal while the demo runs, unless the user
 * configured that logger; warnings still show. Closing restores the logger as it was.
 */
public final class QuietServerLog implements AutoCloseable {
  private static final String LOGGER = "org.mailtls.handshake";

  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private final Logger logger = Logger.getLogger(LOGGER);
  private final boolean changed;

  private QuietServerLog() {
    changed = logger.getLevel() == null;
    if (changed) {
      logger.setLevel(Level.WARNING);
    }
  }

  /** Quietens the handshake log until {@link #close()}. */
  public static QuietServerLog start() {
    return new QuietServerLog();
  }

  @Override
  public void close() {
    if (changed) {
      logger.setLevel(null);
    }
  }
}
