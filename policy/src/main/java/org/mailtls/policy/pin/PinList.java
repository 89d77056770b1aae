package org.mailtls.policy.pin;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.Immutable;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailtls.policy.identity.MailService;

/**
 * The content of a pin store at one moment: pins in insertion order, at most one per record key
 * (account, host, port, service, certificate SHA-256). Both stores keep one of these as their
 * snapshot and swap it whole, so a reader never sees half a change.
 *
 * <p>Lookups are linear: an account holds a handful of pins (one per endpoint whose certificate the
 * user accepted during setup, R8314-C-28), so an index would cost more than it saves.
 */
@Immutable
final class PinList {
  static final PinList EMPTY = new PinList(ImmutableList.of());

  private final ImmutableList<CertificatePin> pins;
  /** The same pins by record key: a lookup costs one hash probe, not a scan (100,000 pins in a store are normal). */
  private final ImmutableMap<Key, CertificatePin> byKey;

  /** @param pins pins with distinct record keys (callers guarantee it; ImmutableMap refuses duplicates) */
  private PinList(ImmutableList<CertificatePin> pins) {
    this.pins = pins;
    ImmutableMap.Builder<Key, CertificatePin> index = ImmutableMap.builderWithExpectedSize(pins.size());
    for (CertificatePin p : pins) {
      index.put(Key.of(p), p);
    }
    this.byKey = index.buildOrThrow();
  }

  /**
   * The pins in order, a later pin with the record key of an earlier one replacing it where it
   * stands: what adding them one by one with {@link #with} gives, in linear time.
   */
  static PinList ofReplacing(Iterable<CertificatePin> pins) {
    Map<Key, CertificatePin> ordered = new LinkedHashMap<>();
    for (CertificatePin p : pins) {
      ordered.put(Key.of(requireNonNull(p, "pin")), p);
    }
    return ordered.isEmpty() ? EMPTY : new PinList(ImmutableList.copyOf(ordered.values()));
  }

  /**
   * A list of pins with distinct record keys.
   *
   * @throws IllegalArgumentException if two pins have the same record key
   */
  static PinList of(List<CertificatePin> pins) {
    ImmutableList<CertificatePin> copy = ImmutableList.copyOf(pins);
    Set<Key> seen = new HashSet<>();
    for (CertificatePin p : copy) {
      if (!seen.add(Key.of(p))) {
        throw new IllegalArgumentException("duplicate pin record: " + p);
      }
    }
    return new PinList(copy);
  }

  /** The record key: two pins with equal keys are one record (the later replaces the earlier). */
  record Key(String accountId, String host, int port, MailService service, String sha256) {
    static Key of(CertificatePin p) {
      return new Key(p.accountId(), p.host(), p.port(), p.service(), p.sha256());
    }
  }

  /**
   * True when both pins are records of the same account, endpoint and certificate; such a pair is
   * one record, the later replacing the earlier (the store never holds duplicates).
   */
  static boolean sameKey(CertificatePin a, CertificatePin b) {
    return a.covers(b.accountId(), b.host(), b.port(), b.service(), b.sha256());
  }

  /** Every pin, in insertion order. */
  ImmutableList<CertificatePin> all() {
    return pins;
  }

  int size() {
    return pins.size();
  }

  /** The pins of one account, in insertion order (R8314-C-31: listable; R8314-C-30: per account). */
  ImmutableList<CertificatePin> forAccount(String accountId) {
    requireNonNull(accountId, "accountId");
    ImmutableList.Builder<CertificatePin> out = ImmutableList.builder();
    for (CertificatePin p : pins) {
      if (p.accountId().equals(accountId)) {
        out.add(p);
      }
    }
    return out.build();
  }

  /** The pin covering exactly this account, endpoint and fingerprint (R8314-C-30, SI-22). */
  Optional<CertificatePin> find(String accountId, String host, int port, MailService service, String sha256) {
    requireNonNull(accountId, "accountId");
    requireNonNull(host, "host");
    requireNonNull(service, "service");
    requireNonNull(sha256, "sha256");
    return Optional.ofNullable(byKey.get(new Key(accountId, host, port, service, sha256)));
  }

  /**
   * This list with {@code pin} added: a pin with the same record key is replaced where it stands
   * (so the account's listing keeps its order), otherwise {@code pin} is appended.
   */
  PinList with(CertificatePin pin) {
    requireNonNull(pin, "pin");
    ImmutableList.Builder<CertificatePin> out = ImmutableList.builderWithExpectedSize(pins.size() + 1);
    boolean replaced = false;
    for (CertificatePin p : pins) {
      if (sameKey(p, pin)) {
        out.add(pin);
        replaced = true;
      } else {
        out.add(p);
      }
    }
    if (!replaced) {
      out.add(pin);
    }
    return new PinList(out.build());
  }

  /** This list without the pins of {@code accountId} with fingerprint {@code sha256}, on any endpoint. */
  PinList without(String accountId, String sha256) {
    requireNonNull(accountId, "accountId");
    requireNonNull(sha256, "sha256");
    ImmutableList.Builder<CertificatePin> out = ImmutableList.builder();
    for (CertificatePin p : pins) {
      if (!(p.accountId().equals(accountId) && p.sha256().equals(sha256))) {
        out.add(p);
      }
    }
    ImmutableList<CertificatePin> kept = out.build();
    return kept.size() == pins.size() ? this : new PinList(kept);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PinList && ((PinList) o).pins.equals(pins);
  }

  @Override
  public int hashCode() {
    return pins.hashCode();
  }

  @Override
  public String toString() {
    return pins.size() + " pins";
  }
}
