package org.mailtls.policy.pin;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import org.mailtls.policy.identity.MailService;

/**
 * Where pins live. Implementations are thread-safe; reads see an immutable snapshot. Every
 * successful change increments {@link #version()}. A changed pin takes effect on the next
 * handshake: the provider refreshes the store before consulting it, never resumes a PINNED session,
 * and checks resumed sessions again in full.
 */
public interface PinStore {

  /** All pins of one account (R8314-C-31: they can be listed). */
  ImmutableList<CertificatePin> pinsFor(String accountId);

  /** The pin covering exactly this account, endpoint and certificate fingerprint, if any. */
  Optional<CertificatePin> find(String accountId, String host, int port, MailService service, String certificateSha256);

  /**
   * Adds a pin. Callers never call this directly for a connection failure: {@code PinGrant}
   * enforces the setup-phase rule (R8314-C-28, C-29) and then calls it.
   *
   * @throws PinStoreException if the store cannot persist the change (nothing is changed then)
   */
  void add(CertificatePin pin) throws PinStoreException;

  /**
   * Removes the pin of {@code accountId} with fingerprint {@code sha256} on every endpoint
   * (R8314-C-31); returns how many records were removed.
   *
   * @throws PinStoreException if the store cannot persist the change (nothing is changed then)
   */
  int remove(String accountId, String sha256) throws PinStoreException;

  /**
   * Brings the snapshot up to date with changes made elsewhere (another process editing the same
   * file); cheap when nothing changed. The provider calls it before it consults a pin, so a pin
   * removed with {@code mailtls pin remove} stops working in a running client on its next handshake.
   *
   * @throws PinStoreException if the changed store cannot be read; the old snapshot is kept
   */
  default void refresh() throws PinStoreException {}

  /**
   * A counter that changes on every successful add or remove that changes the pins. An add of a pin
   * identical to a stored one, or a remove that finds nothing, may leave it unchanged: nothing
   * cached needs dropping then.
   */
  long version();
}
