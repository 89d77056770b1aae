package org.mailtls.testing;

/** Argument checks shared by the builders; each failure names the offending value. */
final class Checks {
  private Checks() {}

  /** Returns {@code value}, or throws IllegalArgumentException naming {@code name} if null. */
  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  /** Throws IllegalArgumentException with {@code message} unless {@code ok}. */
  static void argument(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
