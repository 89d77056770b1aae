package org.mailtls.policy.pin;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second process for {@link FilePinStoreProcessTest}: opens the pin store in {@code args[0]},
 * prints {@code ready}, waits for a line on standard input (so both processes start writing at
 * once, without sleeps), then adds {@code args[2]} pins of account {@code shared} named
 * {@code args[1]-0}, {@code args[1]-1}, ... Exits 0 on success, 1 with a stack trace otherwise.
 */
public final class PinStoreChildProcess {
  private PinStoreChildProcess() {}

  public static void main(String[] args) {
    try {
      FilePinStore store = FilePinStore.open(Path.of(args[0]));
      int count = Integer.parseInt(args[2]);
      System.out.println("ready");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      for (int i = 0; i < count; i++) {
        store.add(PinFixtures.pin("shared", args[1] + "-" + i));
      }
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
