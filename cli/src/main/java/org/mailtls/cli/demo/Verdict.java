package org.mailtls.cli.demo;

import java.util.List;

/**
 * One line of the demo: what was tried, whether MailTLS accepted it, and whether that (and the
 * reason) is what MailTLS should have decided.
 *
 * @param title what was tried
 * @param accepted whether MailTLS accepted
 * @param asExpected whether the outcome, and for a refusal its kind, is the expected one
 * @param details the lines explaining the outcome (what was negotiated, or why it was refused)
 */
public record Verdict(String title, boolean accepted, boolean asExpected, List<String> details) {
  public Verdict {
    details = List.copyOf(details);
  }
}
