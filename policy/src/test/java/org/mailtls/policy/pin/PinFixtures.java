package org.mailtls.policy.pin;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.mailtls.policy.identity.MailService;

/** Pins for tests: fingerprints are SHA-256s of a seed, so each seed names one certificate. */
final class PinFixtures {
  static final Instant PINNED_AT = Instant.parse("2025-03-01T09:30:00Z");

  private PinFixtures() {}

  /** The SHA-256 (64 lower-case hex digits) of {@code seed}: a stand-in certificate fingerprint. */
  static String sha(String seed) {
    return Hashing.sha256().hashString(seed, StandardCharsets.UTF_8).toString();
  }

  /** A pin of {@code account} for the certificate named {@code seed} at imaps://imap.example.net:993. */
  static CertificatePin pin(String account, String seed) {
    return pin(account, "imap.example.net", 993, MailService.IMAPS, seed);
  }

  /** A pin of {@code account} for the certificate named {@code seed} at one endpoint. */
  static CertificatePin pin(String account, String host, int port, MailService service, String seed) {
    return CertificatePin.of(account, host, port, service, sha(seed), PINNED_AT,
        List.of(sha(seed), sha("issuer of " + seed)), "certificate of " + seed + " expired; user accepted it");
  }

  /** {@code pin} with another reason (same record key, so it replaces {@code pin} when added). */
  static CertificatePin withReason(CertificatePin pin, String reason) {
    return CertificatePin.of(pin.accountId(), pin.host(), pin.port(), pin.service(), pin.sha256(), pin.pinnedAt(),
        pin.chainSha256(), reason);
  }
}
