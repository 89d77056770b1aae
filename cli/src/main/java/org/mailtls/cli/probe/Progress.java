package org.mailtls.cli.probe;

import java.io.PrintWriter;

/**
 * Where "connecting to ..." lines go while the probe runs. They are for a person watching a
 * terminal (each step can take up to the timeout), never part of the report: the command sends them
 * to stderr only when a console is attached or {@code --verbose} is given, so scripts reading stdout
 * or {@code --json} never see them.
 */
@FunctionalInterface
public interface Progress {
  /** Reports one step, e.g. {@code "trying TLS 1.1 (permissive client)"}. */
  void step(String message);

  /** Prints nothing. */
  static Progress silent() {
    return message -> { };
  }

  /** Prints {@code mailtls probe: <message>} lines to {@code err}. */
  static Progress to(PrintWriter err) {
    return message -> {
      err.println("mailtls probe: " + message);
      err.flush();
    };
  }
}
