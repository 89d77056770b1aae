package org.mailtls.provider;

import java.net.Socket;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Runs in a forked JVM whose {@code java.security} lists MailTLS. It mentions no MailTLS type:
 * everything is obtained by name through standard JSSE API, as an application configured only
 * through {@code java.security} would.
 */
public final class RegistrationProbe {
  private RegistrationProbe() {}

  public static void main(String[] args) throws Exception {
    SSLContext ctx = SSLContext.getInstance("MailTLS");
    TrustManagerFactory.getInstance("MailTLS");
    KeyManagerFactory.getInstance("MailTLS");
    ctx.init(null, null, null);
    try (Socket s = ctx.getSocketFactory().createSocket()) {
      System.out.println("provider=" + ctx.getProvider().getName());
      System.out.println("info=" + ctx.getProvider().getInfo());
      System.out.println("protocols=" + String.join(",", ((SSLSocket) s).getEnabledProtocols()));
      System.out.println("suites=" + String.join(",", ((SSLSocket) s).getEnabledCipherSuites()));
    }
  }
}
