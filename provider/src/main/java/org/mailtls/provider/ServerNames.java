package org.mailtls.provider;

import com.google.common.collect.ImmutableSet;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import org.jspecify.annotations.Nullable;

/**
 * Server Name Indication on the server side: reading the host name a client asked for, and the
 * {@link SNIMatcher} that makes the engine answer an unknown name with the {@code unrecognized_name}
 * alert (RFC 9325 §3.7, TLS-08: a server that does not know the requested name should abort, which
 * closes the ALPACA cross-protocol confusion where a client's connection is redirected to another
 * service sharing the certificate).
 *
 * <p>Names are compared as lower-case A-labels: a client sends A-labels (RFC 6066 §3), {@link
 * SNIHostName#getAsciiName()} returns them, and only ASCII case differs between spellings.
 */
final class ServerNames {
  /**
   * What {@link #requested} returns for a host_name entry that cannot be read as a host name: it
   * equals no configured name, so a strict server refuses it and a lenient one serves its default.
   */
  static final String UNREADABLE = "";

  private ServerNames() {}

  /**
   * An SNI matcher of type host_name that accepts exactly {@code configuredNames} (ASCII
   * case-insensitively). Installed with {@code SSLParameters.setSNIMatchers} on server sockets and
   * engines, it makes SunJSSE and BCJSSE abort with {@code unrecognized_name} for any other name.
   * A client that sends no SNI is not affected.
   *
   * @throws IllegalArgumentException if {@code configuredNames} is empty: such a matcher would refuse
   *     every client that sends SNI
   */
  static SNIMatcher matcher(Set<String> configuredNames) {
    if (configuredNames.isEmpty()) {
      throw new IllegalArgumentException("an SNI matcher without names would refuse every client that sends SNI;"
          + " map at least one server name, or do not install a matcher");
    }
    ImmutableSet.Builder<String> names = ImmutableSet.builder();
    for (String n : configuredNames) {
      names.add(asciiLowerCase(n));
    }
    return new ConfiguredNames(names.build());
  }

  /** The host name the client of {@code socket} requested, or null when it sent none. */
  static @Nullable String requested(@Nullable Socket socket) {
    return socket instanceof SSLSocket ? requested(handshakeSession((SSLSocket) socket)) : null;
  }

  /** The host name the client of {@code engine} requested, or null when it sent none. */
  static @Nullable String requested(@Nullable SSLEngine engine) {
    if (engine == null) {
      return null;
    }
    try {
      return requested(engine.getHandshakeSession());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static @Nullable SSLSession handshakeSession(SSLSocket socket) {
    try {
      return socket.getHandshakeSession();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The first host_name entry of the handshake session's requested server names, as a lower-case
   * A-label; {@link #UNREADABLE} when that entry is not a valid host name; null when there is none
   * (or the engine cannot say, which is then treated like a client without SNI).
   */
  static @Nullable String requested(@Nullable SSLSession handshake) {
    if (!(handshake instanceof ExtendedSSLSession)) {
      return null;
    }
    List<SNIServerName> names;
    try {
      names = ((ExtendedSSLSession) handshake).getRequestedServerNames();
    } catch (UnsupportedOperationException e) {
      return null;
    }
    if (names == null) {
      return null;
    }
    for (SNIServerName n : names) {
      if (n.getType() == StandardConstants.SNI_HOST_NAME) {
        String ascii = hostName(n);
        return ascii == null ? UNREADABLE : asciiLowerCase(ascii);
      }
    }
    return null;
  }

  private static @Nullable String hostName(SNIServerName n) {
    if (n instanceof SNIHostName) {
      return ((SNIHostName) n).getAsciiName();
    }
    try {
      return new SNIHostName(n.getEncoded()).getAsciiName();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Lower-cases ASCII letters only (RFC 4343); anything else is left as it is. */
  static String asciiLowerCase(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return sb.toString();
  }

  /** Accepts exactly the configured host names. */
  private static final class ConfiguredNames extends SNIMatcher {
    private final ImmutableSet<String> names;

    ConfiguredNames(ImmutableSet<String> names) {
      super(StandardConstants.SNI_HOST_NAME);
      this.names = names;
    }

    @Override
    public boolean matches(SNIServerName serverName) {
      if (serverName.getType() != StandardConstants.SNI_HOST_NAME) {
        return false;
      }
      String ascii = hostName(serverName);
      return ascii != null && names.contains(asciiLowerCase(ascii));
    }

    @Override
    public String toString() {
      return "MailTLS SNI matcher " + names;
    }
  }
}
