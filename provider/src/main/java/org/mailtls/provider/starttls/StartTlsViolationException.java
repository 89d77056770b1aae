package org.mailtls.provider.starttls;

import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * A mail server broke a STARTTLS safety rule on the client's connection, and MailTLS closed the
 * connection instead of going on. {@link #rule()} names the requirement (STL-04, STL-06, STL-07 in
 * the MailTLS requirement table); the message says what was seen and why it is refused.
 *
 * <p>The three cases (from "NO STARTTLS", USENIX Security 2021, and the CVEs it lists):
 *
 * <ul>
 *   <li><b>STL-04</b>, response injection: when TLS was about to start, {@link #unreadBytes()} bytes
 *       from the server were already waiting behind the go-ahead. A legitimate server sends nothing
 *       after its go-ahead before the client's ClientHello, so these bytes are a man-in-the-middle's
 *       attempt to have them read after the handshake as if they had come through TLS.
 *   <li><b>STL-06</b>: an IMAP server greeted with {@code * PREAUTH} on a cleartext connection.
 *       STARTTLS is impossible in the authenticated state (RFC 3501 §6.2.1), so going on would mean
 *       going on without TLS.
 *   <li><b>STL-07</b>: a response that would reach the user or the mailbox state ({@code [ALERT]}
 *       texts, untagged status or mailbox data) arrived before TLS, where anybody on the path can
 *       forge it.
 * </ul>
 *
 * <p>Its text never quotes what the server sent: before TLS that text is not authenticated.
 */
public final class StartTlsViolationException extends SSLException {
  private static final long serialVersionUID = 1L;

  private final String rule;
  private final long unreadBytes;

  /**
   * A refusal under {@code rule}.
   *
   * @param rule the requirement ID, e.g. {@code "STL-04"}
   * @param unreadBytes for STL-04 how many unread bytes were waiting (at least 1); 0 for other rules
   * @param message what was seen, why it is refused, and that the connection was closed
   */
  public StartTlsViolationException(String rule, long unreadBytes, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.rule = Objects.requireNonNull(rule, "rule");
    if (unreadBytes < 0) {
      throw new IllegalArgumentException("unreadBytes must not be negative: " + unreadBytes);
    }
    this.unreadBytes = unreadBytes;
  }

  /** The requirement the server broke: {@code STL-04}, {@code STL-06} or {@code STL-07}. */
  public String rule() {
    return rule;
  }

  /** For STL-04, how many unread bytes from the server were waiting when TLS was to start; else 0. */
  public long unreadBytes() {
    return unreadBytes;
  }
}
