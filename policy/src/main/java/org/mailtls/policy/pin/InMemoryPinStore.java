package org.mailtls.policy.pin;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.mailtls.policy.identity.MailService;

/**
 * A pin store that lives only as long as the JVM: for tests, for embedders that persist pins
 * themselves, and for a session-only "accept this certificate until I quit" setup flow.
 *
 * <p>The content is one immutable snapshot (pins in insertion order, plus the version) in an
 * {@link AtomicReference}; a change builds the next snapshot and swaps it in with compare-and-set,
 * retrying if another thread won the race. Readers never lock and never see half a change.
 *
 * <p>Semantics shared with {@link FilePinStore}:
 *
 * <ul>
 *   <li>{@link #add} of a pin with the same account, host, port, service and SHA-256 as a stored one
 *       replaces it where it stands (no duplicates; the newer context of RFC 6125 §7.1, SI-22, wins);
 *   <li>{@link #pinsFor} lists one account's pins in insertion order (R8314-C-31), and neither it nor
 *       {@link #find} ever returns another account's pin (R8314-C-30);
 *   <li>{@link #version()} increments exactly when the content changes: re-adding an identical pin
 *       or removing a pin that is not there leaves it alone, so no cached session is dropped for
 *       nothing, and no change can happen without it moving.
 * </ul>
 */
public final class InMemoryPinStore implements PinStore {

  /** Pins and version together, so a reader never pairs new pins with an old version. */
  private record State(PinList pins, long version) {}

  private final AtomicReference<State> state;

  /** An empty store. */
  public InMemoryPinStore() {
    this.state = new AtomicReference<>(new State(PinList.EMPTY, 0));
  }

  /**
   * A store holding {@code pins}, in that order; a later pin with the same record key replaces an
   * earlier one, as with {@link #add}. The version starts at 0.
   */
  public static InMemoryPinStore of(Iterable<CertificatePin> pins) {
    PinList list = PinList.ofReplacing(requireNonNull(pins, "pins"));
    InMemoryPinStore store = new InMemoryPinStore();
    store.state.set(new State(list, 0));
    return store;
  }

  @Override
  public ImmutableList<CertificatePin> pinsFor(String accountId) {
    return state.get().pins().forAccount(accountId);
  }

  @Override
  public Optional<CertificatePin> find(String accountId, String host, int port, MailService service,
      String certificateSha256) {
    return state.get().pins().find(accountId, host, port, service, certificateSha256);
  }

  /** Every pin of every account, in insertion order. */
  public ImmutableList<CertificatePin> all() {
    return state.get().pins().all();
  }

  @Override
  public void add(CertificatePin pin) {
    requireNonNull(pin, "pin");
    update(pins -> pins.with(pin));
  }

  @Override
  public int remove(String accountId, String sha256) {
    requireNonNull(accountId, "accountId");
    requireNonNull(sha256, "sha256");
    PinList before = update(pins -> pins.without(accountId, sha256));
    return before.size() - before.without(accountId, sha256).size();
  }

  @Override
  public long version() {
    return state.get().version();
  }

  /** Applies {@code change} atomically; returns the content it was applied to. */
  private PinList update(UnaryOperator<PinList> change) {
    while (true) {
      State current = state.get();
      PinList next = change.apply(current.pins());
      if (next.equals(current.pins())) {
        return current.pins();
      }
      if (state.compareAndSet(current, new State(next, current.version() + 1))) {
        return current.pins();
      }
    }
  }

  @Override
  public String toString() {
    State s = state.get();
    return "in-memory pin store (" + s.pins() + ", version " + s.version() + ")";
  }
}
