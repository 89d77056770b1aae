package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTlsProvider;
import org.mailtls.testing.TestPki;
import org.opentest4j.AssertionFailedError;

/** The client side of the Dovecot interop tests: MailTLS contexts, Angus properties, openssl, causes. */
final class DovecotClients {
  private DovecotClients() {}

  /** The README's context: MailTLS provider on {@code engine}, no account, trusting only {@code pki}'s root. */
  static SSLContext context(JsseEngine engine, TestPki pki) throws GeneralSecurityException {
    MailTlsProvider provider = new MailTlsProvider(engine);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("MailTLS", provider);
    tmf.init(pki.trustStore());
    SSLContext ctx = SSLContext.getInstance("MailTLS", provider);
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /**
   * The README's Angus properties for {@code protocol} ("imaps", "pop3s", or "imap"/"pop3" for
   * STARTTLS), plus timeouts. {@code mail.<protocol>.ssl.socketFactory} is the one property Angus
   * 2.0.5's {@code SocketFetcher} consults both for implicit TLS ({@code getSocket}) and for
   * STARTTLS ({@code startTLS}); {@code mail.<protocol>.socketFactory} would instead be used for the
   * cleartext connection too.
   */
  static Properties wiring(String protocol, SSLSocketFactory factory) {
    Properties props = new Properties();
    props.put("mail." + protocol + ".ssl.socketFactory", factory); // an object: put, not setProperty
    props.put("mail." + protocol + ".socketFactory.fallback", "false");
    props.put("mail." + protocol + ".connectiontimeout", "10000");
    props.put("mail." + protocol + ".timeout", "10000");
    return props;
  }

  /** Opens INBOX read-only and returns its message count; closes the store. */
  static int inboxCount(Store store) throws MessagingException {
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        return inbox.getMessageCount();
      } finally {
        inbox.close(false);
      }
    } finally {
      store.close();
    }
  }

  /** Opens INBOX read-only, asserts the one message has {@code subject}; closes the store. */
  static void assertInboxHolds(Store store, String subject) throws MessagingException {
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        assertEquals(1, inbox.getMessageCount());
        assertEquals(subject, inbox.getMessage(1).getSubject());
      } finally {
        inbox.close(false);
      }
    } finally {
      store.close();
    }
  }

  /**
   * {@code openssl s_client -connect 127.0.0.1:port -servername localhost <args>} with no input;
   * returns "exit N" and its output. A missing binary fails, naming the Debian package.
   */
  static String sClient(Path tmp, int port, String... args) throws Exception {
    Path out = Files.createTempFile(tmp, "s_client", ".txt");
    List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", "localhost"));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .start();
    } catch (IOException e) {
      throw new AssertionFailedError("openssl is not installed: install the Debian package openssl", e);
    }
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionFailedError(cmd + " did not finish: " + Files.readString(out));
    }
    return "exit " + p.exitValue() + "\n" + Files.readString(out);
  }

  static List<Throwable> causes(Throwable e) {
    List<Throwable> out = new ArrayList<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = e; t != null && seen.put(t, Boolean.TRUE) == null; t = nextCause(t)) {
      out.add(t);
    }
    return out;
  }

  /** Angus chains through {@code MessagingException.getNextException()} as well as {@code getCause()}. */
  private static Throwable nextCause(Throwable t) {
    if (t.getCause() == null && t instanceof MessagingException) {
      return ((MessagingException) t).getNextException();
    }
    return t.getCause();
  }

  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t : causes(e)) {
      sb.append("\n  ").append(t.getClass().getName()).append(": ").append(t.getMessage());
    }
    return sb.toString();
  }
}
