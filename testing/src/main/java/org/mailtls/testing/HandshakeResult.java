package org.mailtls.testing;

/**
 * The outcome of {@link SslEnginePair#handshake()}: a value, never an exception, so tests can
 * assert on failed handshakes as easily as on successful ones.
 *
 * <p>The negotiated sessions are read from the pair, e.g.
 * {@code pair.clientSession().getProtocol()}.
 *
 * @param success true when both engines finished the handshake and no failure occurred
 * @param clientFailure what the client engine threw, or null; also set (to an
 *     {@link javax.net.ssl.SSLException} describing the stall) when the client never finished
 * @param serverFailure what the server engine threw, or null; same rules as {@code clientFailure}
 * @param rounds how many rounds of the shuttle loop ran, each letting both engines act once
 */
public record HandshakeResult(
    boolean success, Throwable clientFailure, Throwable serverFailure, int rounds) {

  /** Validates that a successful result carries no failure and that rounds is not negative. */
  public HandshakeResult {
    if (rounds < 0) {
      throw new IllegalArgumentException("rounds must be >= 0: " + rounds);
    }
    if (success && (clientFailure != null || serverFailure != null)) {
      throw new IllegalArgumentException("a successful handshake has no failures: "
          + clientFailure + ", " + serverFailure);
    }
    if (!success && clientFailure == null && serverFailure == null) {
      throw new IllegalArgumentException("a failed handshake needs at least one failure");
    }
  }

  /**
   * Throws an {@link AssertionError} unless the handshake succeeded; its message names both
   * sides' failures, its cause is the client's failure (else the server's), and the other side's
   * failure is attached as suppressed, so both stack traces are reported.
   */
  public void assertSuccess() {
    if (success) {
      return;
    }
    Throwable first = clientFailure != null ? clientFailure : serverFailure;
    AssertionError error = new AssertionError("TLS handshake failed after " + rounds
        + " rounds; client: " + clientFailure + "; server: " + serverFailure, first);
    if (first == clientFailure && serverFailure != null) {
      error.addSuppressed(serverFailure);
    }
    throw error;
  }
}
