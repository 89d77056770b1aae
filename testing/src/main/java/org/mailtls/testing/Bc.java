package org.mailtls.testing;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle provider instance this module signs and parses with.
 *
 * <p>It is passed explicitly to every JCA call and never registered with
 * {@link java.security.Security}, so loading this module changes no global state of the JVM.
 */
final class Bc {
  /** Shared, never-registered BouncyCastle provider (construction is costly; reuse it). */
  static final Provider PROVIDER = new BouncyCastleProvider();

  private Bc() {}
}
