package org.mailtls.policy.identity;

import com.google.common.net.InetAddresses;
import com.google.errorprone.annotations.Immutable;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IP address used as a reference identifier (IP-ID, RFC 9525 §6.4, SI-09): 4 or 16 octets
 * compared octet for octet, with no prefix or network matching and no DNS involved.
 *
 * <p>Parsing never touches DNS: it uses Guava's {@link InetAddresses#forString}, which accepts only
 * literal forms. Square brackets around an IPv6 literal are removed; zone ids ({@code %eth0}) are
 * refused because they are local to one host and cannot appear in a certificate.
 */
@Immutable
@SuppressWarnings("Immutable") // the array is private, copied in and out
public final class IpAddress {
  private final byte[] octets;

  private IpAddress(byte[] octets) {
    this.octets = octets;
  }

  /**
   * Parses an IPv4 or IPv6 literal.
   *
   * @throws IllegalArgumentException if {@code literal} is not an IP literal
   */
  public static IpAddress parse(String literal) {
    return tryParse(literal)
        .orElseThrow(
            () -> new IllegalArgumentException("not an IP address literal: \"" + Printable.of(literal) + "\""));
  }

  /** Parses an IPv4 or IPv6 literal, or returns empty when {@code host} is not one (SI-18). */
  public static Optional<IpAddress> tryParse(String host) {
    String s = host;
    boolean bracketed = s.length() > 2 && s.startsWith("[") && s.endsWith("]");
    if (bracketed) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.indexOf('%') >= 0 || s.length() > 64 || !InetAddresses.isInetAddress(s)) {
      return Optional.empty();
    }
    boolean v6Text = s.indexOf(':') >= 0;
    if (bracketed && !v6Text) {
      return Optional.empty(); // brackets belong to IPv6 literals only (RFC 3986 §3.2.2)
    }
    byte[] octets = InetAddresses.forString(s).getAddress();
    if (v6Text && octets.length == 4) {
      // The JDK folds IPv4-mapped IPv6 (::ffff:a.b.c.d) to IPv4; an IP-ID is compared octet for
      // octet (SI-09), so keep the 16 octets that were written.
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(octets, 0, mapped, 12, 4);
      octets = mapped;
    }
    return Optional.of(new IpAddress(octets));
  }

  /** Wraps raw octets; exactly 4 (IPv4) or 16 (IPv6). */
  public static IpAddress ofOctets(byte[] octets) {
    if (octets.length != 4 && octets.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 octets, not " + octets.length);
    }
    return new IpAddress(octets.clone());
  }

  /** A copy of the octets. */
  public byte[] octets() {
    return octets.clone();
  }

  /** True when {@code other} holds exactly these octets (SI-09). */
  boolean matchesOctets(byte[] other) {
    return Arrays.equals(octets, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress && Arrays.equals(((IpAddress) o).octets, octets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(octets);
  }

  /** The canonical text form (RFC 5952 for IPv6). */
  @Override
  public String toString() {
    try {
      // Inet6Address.getByAddress keeps IPv4-mapped addresses as IPv6 (InetAddress would fold them).
      InetAddress a = octets.length == 16
          ? java.net.Inet6Address.getByAddress(null, octets, -1)
          : InetAddress.getByAddress(octets);
      return InetAddresses.toAddrString(a);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e); // unreachable: the length was checked
    }
  }
}
