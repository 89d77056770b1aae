package org.mailtls.provider;

import java.lang.reflect.Method;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.BCSSLSocket;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.MailTlsPolicy;

/**
 * Per-connection named groups and signature schemes (TLS-21, TLS-22, TLS-25, TLS-26). BCJSSE has
 * {@code BCSSLParameters}; the JDK's {@code SSLParameters} gained {@code setSignatureSchemes} in 19
 * and {@code setNamedGroups} in 20, found here by reflection so MailTLS still builds for Java 17.
 */
final class EngineExtras {
  private static final @Nullable Method SET_NAMED_GROUPS = find("setNamedGroups");
  private static final @Nullable Method SET_SIGNATURE_SCHEMES = find("setSignatureSchemes");

  private EngineExtras() {}

  /** The policy's groups and schemes as the engines take them, made once per context. */
  record Lists(String[] groups, String[] schemes) {
    static Lists of(MailTlsPolicy policy) {
      return new Lists(policy.namedGroups().toArray(String[]::new), policy.signatureSchemes().toArray(String[]::new));
    }
  }

  /** Applies groups and schemes to an inner socket or engine of either engine. */
  static void apply(Object inner, Lists lists) {
    if (inner instanceof BCSSLSocket) {
      BCSSLSocket s = (BCSSLSocket) inner;
      s.setParameters(withExtras(s.getParameters(), lists.groups(), lists.schemes()));
    } else if (inner instanceof BCSSLEngine) {
      BCSSLEngine e = (BCSSLEngine) inner;
      e.setParameters(withExtras(e.getParameters(), lists.groups(), lists.schemes()));
    }
  }

  /** Adds groups and schemes to JDK parameters where the running JDK supports them. */
  static void applyJdk(SSLParameters p, Lists lists) {
    invoke(SET_NAMED_GROUPS, p, lists.groups().clone());
    invoke(SET_SIGNATURE_SCHEMES, p, lists.schemes().clone());
  }

  /** True when this JDK's SSLParameters can carry named groups (JDK 20+). */
  static boolean jdkHasNamedGroups() {
    return SET_NAMED_GROUPS != null;
  }

  private static BCSSLParameters withExtras(BCSSLParameters p, String[] groups, String[] schemes) {
    p.setNamedGroups(groups.clone());
    p.setSignatureSchemes(schemes.clone());
    p.setSignatureSchemesCert(schemes.clone());
    return p;
  }

  private static @Nullable Method find(String name) {
    try {
      return SSLParameters.class.getMethod(name, String[].class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static void invoke(@Nullable Method m, SSLParameters p, String[] values) {
    if (m == null) {
      return;
    }
    try {
      m.invoke(p, (Object) values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot set " + m.getName() + " on SSLParameters", e);
    }
  }
}
