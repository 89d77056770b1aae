package org.mailtls.provider.interop;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;

/**
 * Small tools of {@link PostfixInteropTest}: an SMTP line reader/writer for a hand-driven dialogue,
 * {@code postconf} and {@code openssl s_client} runs, and exception-chain helpers.
 */
final class PostfixSmtp {
  private final BufferedReader in;
  private final OutputStream out;

  PostfixSmtp(Socket socket) throws IOException {
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    this.out = socket.getOutputStream();
  }

  /** One SMTP reply: lines up to the one whose fourth character is a space (RFC 5321 §4.2.1). */
  List<String> reply() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed after " + lines);
      }
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) == ' ') {
        return lines;
      }
    }
  }

  List<String> command(String command) throws IOException {
    out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return reply();
  }

  /** {@code postconf -c configDir args...}: its output. */
  static String postconf(Path configDir, String... args) throws Exception {
    Path postfix = PostfixOs.findBinary("postfix")
        .orElseThrow(() -> new AssertionFailedError("postfix is not installed: " + Postfix.INSTALL_HINT));
    return PostfixOs.postconf(postfix, configDir, args);
  }

  /** The listen addresses of every {@code inet} service in {@code master.cf}, in order. */
  static List<String> inetServices(Path configDir) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : postconf(configDir, "-M").split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 1 && f[1].equals("inet")) {
        out.add(f[0]);
      }
    }
    return out;
  }

  /** {@code openssl s_client} with {@code version} at security level 0 against implicit TLS on {@code port}. */
  static String sClient(Path tmp, int port, String version) throws Exception {
    Path output = Files.createTempFile(tmp, "s_client", ".txt");
    Process p;
    try {
      p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
          version, "-cipher", "DEFAULT:@SECLEVEL=0")
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
    } catch (IOException e) {
      throw new AssertionFailedError("openssl is not installed: install the Debian package openssl", e);
    }
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionFailedError("openssl s_client " + version + " did not finish: " + Files.readString(output));
    }
    return "exit " + p.exitValue() + "\n" + Files.readString(output);
  }

  static List<Throwable> causes(Throwable e) {
    List<Throwable> out = new ArrayList<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = e; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      out.add(t);
    }
    return out;
  }

  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t : causes(e)) {
      sb.append("\n  ").append(t.getClass().getName()).append(": ").append(t.getMessage());
    }
    return sb.toString();
  }
}
