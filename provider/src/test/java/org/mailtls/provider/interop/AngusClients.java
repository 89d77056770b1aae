package org.mailtls.provider.interop;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.mailtls.provider.starttls.StartTlsViolationException;

/**
 * Angus Mail 2.0.5 client settings for the hostile-server tests, and helpers to read what happened.
 *
 * <p>Two configurations are compared throughout: "Angus alone" ({@link #startTls}: exactly the
 * settings the task names, STARTTLS enabled and required over the MailTLS factory, fallback off),
 * which shows what Angus does by itself; and {@link org.mailtls.provider.angus.AngusProperties},
 * which adds MailTLS's cleartext-phase guard.
 */
final class AngusClients {
  /** Short timeouts so that a broken test fails instead of hanging. */
  static final String TIMEOUT_MS = "10000";

  private AngusClients() {}

  /**
   * Angus alone: {@code mail.<p>.ssl.socketFactory} = MailTLS, {@code socketFactory.fallback=false},
   * {@code starttls.enable=true}, {@code starttls.required=true}, timeouts; for SMTP also {@code
   * auth=true} (so Angus would log in if it went on) and a fixed EHLO name.
   */
  static Properties startTls(String protocol, SSLSocketFactory mailTls) {
    Properties props = new Properties();
    String p = "mail." + protocol;
    props.put(p + ".ssl.socketFactory", mailTls);
    props.put(p + ".socketFactory.fallback", "false");
    props.put(p + ".starttls.enable", "true");
    props.put(p + ".starttls.required", "true");
    return withTestSettings(props, protocol);
  }

  /** Shortens the timeouts of {@code props} and adds the SMTP settings the tests need; returns it. */
  static Properties withTestSettings(Properties props, String protocol) {
    String p = "mail." + protocol;
    props.put(p + ".connectiontimeout", TIMEOUT_MS);
    props.put(p + ".timeout", TIMEOUT_MS);
    if (protocol.startsWith("smtp")) {
      props.put(p + ".auth", "true");
      props.put(p + ".localhost", "localhost");
    }
    return props;
  }

  /**
   * Whether the password went over {@code lines}: in clear (IMAP LOGIN, POP3 PASS) or inside a
   * base64 SASL token (AUTH PLAIN).
   */
  static boolean carriesPassword(List<String> lines) {
    for (String line : lines) {
      if (line.contains(HostileStartTlsServers.PASSWORD)) {
        return true;
      }
      for (String word : line.split(" ")) {
        try {
          if (new String(Base64.getDecoder().decode(word), ISO_8859_1).contains(HostileStartTlsServers.PASSWORD)) {
            return true;
          }
        } catch (IllegalArgumentException notBase64) {
          // not a SASL token
        }
      }
    }
    return false;
  }

  /** The first {@link StartTlsViolationException} in the cause chain. */
  static Optional<StartTlsViolationException> violationIn(Throwable e) {
    for (Throwable t : chain(e)) {
      if (t instanceof StartTlsViolationException v) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /**
   * The STL rule of MailTLS's refusal in {@code e}: from a {@link StartTlsViolationException} in the
   * cause chain, or, where Angus kept only the text, from its message. Angus IMAP turns an {@code
   * IOException} thrown while a command runs into a synthetic {@code * BYE Jakarta Mail Exception:
   * <exception>} response and a {@code ConnectionException} without a cause ({@code
   * Protocol.command}), so there the exception object is lost and only its text survives.
   */
  static Optional<String> refusalRule(Throwable e) {
    Optional<StartTlsViolationException> v = violationIn(e);
    if (v.isPresent()) {
      return Optional.of(v.get().rule());
    }
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile(java.util.regex.Pattern.quote(StartTlsViolationException.class.getName()) + ": .*?\\((STL-\\d\\d)\\)")
        .matcher(describe(e));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The cause chain and suppressed exceptions, one "class: message" per line. */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t : chain(e)) {
      sb.append("\n  ").append(t.getClass().getName()).append(": ").append(t.getMessage());
    }
    return sb.toString();
  }

  private static List<Throwable> chain(Throwable e) {
    Deque<Throwable> todo = new ArrayDeque<>(List.of(e));
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    List<Throwable> out = new ArrayList<>();
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (seen.put(t, Boolean.TRUE) == null) {
        out.add(t);
        if (t.getCause() != null) {
          todo.add(t.getCause());
        }
        todo.addAll(List.of(t.getSuppressed()));
      }
    }
    return out;
  }
}
