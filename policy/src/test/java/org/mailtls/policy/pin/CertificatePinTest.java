package org.mailtls.policy.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.policy.pin.PinFixtures.PINNED_AT;
import static org.mailtls.policy.pin.PinFixtures.sha;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailtls.policy.identity.MailService;

/**
 * The checks {@link CertificatePin#of} makes on the SI-22 context (RFC 6125 §7.1) that the stores
 * rely on: the host is stored in the exact form lookups use (else a pin silently never matches,
 * R8314-C-28).
 */
class CertificatePinTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "IMAP.example.net, imap.example.net",
      "imap.example.net., imap.example.net",
      "bücher.example, xn--bcher-kva.example",
      "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
  })
  void of_hostNotNormalized_rejectedNamingNormalForm(String host, String normalized) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pinAt(host));
    assertTrue(e.getMessage().contains("normalizes to \"" + normalized + "\""), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"imap.example.net", "xn--bcher-kva.example", "192.0.2.7", "2001:db8::1", "localhost"})
  void of_normalizedHost_accepted(String host) {
    assertEquals(host, pinAt(host).host());
  }

  @ParameterizedTest
  @ValueSource(strings = {"imap example.net", "imap\texample.net", "", "a_b.example"})
  void of_invalidHost_rejected(String host) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pinAt(host));
    assertTrue(e.getMessage().startsWith("host"), e.getMessage());
  }

  private static CertificatePin pinAt(String host) {
    return CertificatePin.of("alice", host, 993, MailService.IMAPS, sha("c"), PINNED_AT, List.of(sha("c")), "r");
  }
}
