package org.mailtls.cli.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailtls.policy.identity.MailService;

/**
 * What a STARTTLS server advertised before TLS, and whether that invites a password in cleartext.
 *
 * <p>Why the probe looks: RFC 8314 §4.1 (R8314-S-12, S-13) asks servers to stop accepting
 * passwords over cleartext; a server that still lists {@code LOGIN} (IMAP without {@code
 * LOGINDISABLED}), {@code USER} (POP3) or {@code AUTH PLAIN} (SMTP) before STARTTLS invites clients
 * that skip TLS to send one. This is advice in the report, not part of the exit status: the probe
 * itself never sends credentials.
 *
 * @param service the STARTTLS service
 * @param advertised the capability lines or words, upper case
 * @param passwordBeforeTls what invites a cleartext password, if anything
 */
public record Capabilities(MailService service, List<String> advertised, Optional<String> passwordBeforeTls) {

  static Capabilities of(MailService service, List<String> advertised) {
    List<String> copy = List.copyOf(advertised);
    return new Capabilities(service, copy, passwordOffer(service, copy));
  }

  private static Optional<String> passwordOffer(MailService service, List<String> caps) {
    List<String> found = new ArrayList<>();
    switch (service) {
      case IMAP -> {
        if (!caps.contains("LOGINDISABLED")) {
          found.add("LOGIN (no LOGINDISABLED)");
        }
        caps.stream().filter(c -> c.startsWith("AUTH=") && !c.equals("AUTH=EXTERNAL")).forEach(found::add);
      }
      case POP3 -> {
        if (caps.contains("USER")) {
          found.add("USER");
        }
        caps.stream().filter(c -> c.startsWith("SASL ")).map(c -> mechanisms(c.substring(5)))
            .filter(m -> !m.isEmpty()).forEach(m -> found.add("SASL " + m));
      }
      case SUBMISSION -> caps.stream().filter(c -> c.startsWith("AUTH ") || c.startsWith("AUTH="))
          .map(c -> mechanisms(c.substring(5))).filter(m -> !m.isEmpty()).forEach(m -> found.add("AUTH " + m));
      default -> { }
    }
    return found.isEmpty() ? Optional.empty()
        : Optional.of(String.join(", ", found.stream().distinct().toList()) + " offered before TLS");
  }

  /** The password-carrying mechanisms (everything but EXTERNAL) of a mechanism list. */
  private static String mechanisms(String list) {
    List<String> m = new ArrayList<>();
    for (String w : list.trim().split(" +")) {
      String u = w.toUpperCase(Locale.ROOT);
      if (!u.isEmpty() && !u.equals("EXTERNAL")) {
        m.add(u);
      }
    }
    return String.join(" ", m);
  }
}
