package org.mailtls.policy.received;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.received.ReceivedLexer.Token;

/**
 * Writes a complete, folded {@code Received:} header field with the RFC 8314 §4.3 {@code tls}
 * clause in its place (R8314-S-10, R8314-S-17, requirements.md B.8), so a server author writes the
 * header in one call:
 *
 * <pre>{@code
 * String field = ReceivedHeaders.builder()
 *     .from("client.example.org", "client.example.org [192.0.2.10]")
 *     .by("submit.example.net").with("ESMTPSA").id("7F3A2").forPath("<bob@example.com>")
 *     .tls(ReceivedTlsClause.forJsseSuite(session.getCipherSuite()))
 *     .date(OffsetDateTime.now(clock))
 *     .format();
 * }</pre>
 *
 * <p>Layout: the RFC 5321 §4.4 clause order ({@code from}, {@code by}, {@code with}, {@code id},
 * {@code for}, then the additional clauses {@code tls} and {@code group}), {@code ;}, and the date
 * as an RFC 5322 §3.3 date-time with a numeric zone (SMTP forbids the obsolete forms such as
 * {@code GMT}). Lines are folded between clauses (and before the TCP-info) with CRLF + tab so that none exceeds 78 characters
 * where the parts allow it (RFC 5322 §2.1.1), and never 998. The result is returned without the
 * final CRLF. Each part must be one token (no white space, comments or {@code ;}), so a part cannot
 * smuggle in a clause; the result is parsed back with {@link ReceivedClauseParser} before it is
 * returned.
 */
public final class ReceivedHeaders {
  /** RFC 5322 §2.1.1: lines SHOULD be at most 78 characters. */
  public static final int FOLD_WIDTH = 78;

  /** RFC 5322 §2.1.1: lines MUST be at most 998 characters. */
  public static final int MAX_LINE_LENGTH = 998;

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.US);

  private ReceivedHeaders() {}

  /** A builder for one Received field. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the parts of one Received field; {@link #format()} writes it. */
  public static final class Builder {
    private @Nullable String from;
    private @Nullable String fromInfo;
    private @Nullable String by;
    private @Nullable String with;
    private @Nullable String id;
    private @Nullable String forPath;
    private @Nullable ReceivedTlsClause tls;
    private @Nullable OffsetDateTime date;

    private Builder() {}

    /** The client's HELO domain or {@code [address-literal]} (RFC 5321 §4.4 From-domain). */
    @CanIgnoreReturnValue
    public Builder from(String domain) {
      from = unit(from, "from", domain);
      return this;
    }

    /** The client's HELO domain and the TCP-info in parentheses, e.g. {@code "host [192.0.2.10]"}. */
    @CanIgnoreReturnValue
    public Builder from(String domain, String tcpInfo) {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(tcpInfo, "tcpInfo");
      checkArgument(!tcpInfo.isEmpty() && tcpInfo.indexOf('(') < 0 && tcpInfo.indexOf(')') < 0
          && tcpInfo.indexOf('\\') < 0
          && ReceivedLexer.tokenize("(" + noBreaks(tcpInfo, "TCP-info") + ")", 0).isEmpty(),
          "TCP-info %s must be comment text without parentheses or '\\' (RFC 5321 §4.4, RFC 5322"
              + " §3.2.2)", ReceivedTlsClause.printable(tcpInfo));
      from(domain);
      fromInfo = "(" + tcpInfo + ")";
      return this;
    }

    /** This server's domain (RFC 5321 §4.4 By-domain). */
    @CanIgnoreReturnValue
    public Builder by(String domain) {
      by = unit(by, "by", domain);
      return this;
    }

    /** The protocol, e.g. {@code ESMTPSA} (RFC 3848). */
    @CanIgnoreReturnValue
    public Builder with(String protocol) {
      with = unit(with, "with", protocol);
      return this;
    }

    /** The server's queue or message id. */
    @CanIgnoreReturnValue
    public Builder id(String id) {
      this.id = unit(this.id, "id", id);
      return this;
    }

    /** The recipient path, e.g. {@code <bob@example.com>} (RFC 5321 §4.4 For). */
    @CanIgnoreReturnValue
    public Builder forPath(String path) {
      forPath = unit(forPath, "for", path);
      return this;
    }

    /** The RFC 8314 §4.3 clause; omit it only when the message did not arrive over TLS. */
    @CanIgnoreReturnValue
    public Builder tls(ReceivedTlsClause clause) {
      checkState(tls == null, "tls is already set to %s", tls);
      tls = Objects.requireNonNull(clause, "clause");
      return this;
    }

    /** When the message was received; take it from the server's injected clock. */
    @CanIgnoreReturnValue
    public Builder date(OffsetDateTime when) {
      checkState(date == null, "date is already set to %s", date);
      date = Objects.requireNonNull(when, "when");
      return this;
    }

    /**
     * The folded field, {@code Received: from ...; date}, without the final CRLF.
     *
     * @throws IllegalStateException if {@code from}, {@code by} or {@code date} is missing (RFC 5321
     *     §4.4 requires them)
     */
    public String format() {
      String fromUnit = from;
      String byUnit = by;
      OffsetDateTime when = date;
      checkState(fromUnit != null, "from is required (RFC 5321 §4.4 Stamp)");
      checkState(byUnit != null, "by is required (RFC 5321 §4.4 Stamp)");
      checkState(when != null, "date is required (RFC 5321 §4.4 Stamp)");
      List<String> units = new ArrayList<>();
      for (String unit : new @Nullable String[] {fromUnit, fromInfo, byUnit, with, id, forPath}) {
        if (unit != null) {
          units.add(unit);
        }
      }
      if (tls != null) {
        units.add("tls " + tls.suite());
        tls.group().ifPresent(g -> units.add("group " + g));
      }
      units.set(units.size() - 1, units.get(units.size() - 1) + ";");
      units.add(DATE_TIME.format(when));
      String field = fold(units);
      Optional<ReceivedTlsClause> back = ReceivedClauseParser.parse(field);
      checkState(back.equals(Optional.ofNullable(tls)), "the parts do not read back: %s", field);
      return field;
    }

    private static String unit(@Nullable String current, String keyword, String value) {
      checkState(current == null, "%s is already set to %s", keyword, current);
      return keyword + " " + word(value, keyword + " value");
    }
  }

  private static String fold(List<String> units) {
    StringBuilder out = new StringBuilder("Received:");
    int lineLength = out.length();
    boolean first = true;
    for (String unit : units) {
      if (lineLength + 1 + unit.length() > FOLD_WIDTH && !first) {
        out.append("\r\n\t");
        lineLength = 1;
      } else {
        out.append(' ');
        lineLength++;
      }
      out.append(unit);
      lineLength += unit.length();
      first = false;
      checkArgument(lineLength <= MAX_LINE_LENGTH,
          "%s makes a line longer than %s characters (RFC 5321 §4.5.3.1.6, RFC 5322 §2.1.1)",
          ReceivedTlsClause.printable(unit), MAX_LINE_LENGTH);
    }
    return out.toString();
  }

  /** Checks that a part is exactly one token: no white space, comment, {@code ;} or line break. */
  private static String word(String part, String what) {
    Objects.requireNonNull(part, what);
    List<Token> tokens = ReceivedLexer.tokenize(noBreaks(part, what), 0);
    checkArgument(tokens.size() == 1 && !tokens.get(0).semicolon() && tokens.get(0).text().equals(part),
        "%s %s must be a single token, without white space, comments or ';' (RFC 5321 §4.4)", what,
        ReceivedTlsClause.printable(part));
    return part;
  }

  private static String noBreaks(String part, String what) {
    checkArgument(part.indexOf('\r') < 0 && part.indexOf('\n') < 0,
        "%s %s contains a line break; ReceivedHeaders does the folding", what, ReceivedTlsClause.printable(part));
    return part;
  }
}
