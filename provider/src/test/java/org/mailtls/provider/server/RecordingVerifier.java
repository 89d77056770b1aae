package org.mailtls.provider.server;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake password database that counts how often it is asked. */
final class RecordingVerifier implements PasswordVerifier {
  private final Map<String, String> passwords;
  private final AtomicInteger calls = new AtomicInteger();

  RecordingVerifier(Map<String, String> passwords) {
    this.passwords = Map.copyOf(passwords);
  }

  /** alice/right, bob/right, legacy/right. */
  static RecordingVerifier standard() {
    return new RecordingVerifier(Map.of("alice", "right", "bob", "right", "legacy", "right"));
  }

  @Override
  public boolean verify(String user, CharSequence password) {
    calls.incrementAndGet();
    return password.toString().equals(passwords.get(user));
  }

  int calls() {
    return calls.get();
  }
}
