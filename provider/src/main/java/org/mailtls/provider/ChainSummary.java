package org.mailtls.provider;

import com.google.common.collect.ImmutableList;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

/** One human-readable line per certificate, for decisions and error messages. No key material. */
final class ChainSummary {
  private ChainSummary() {}

  static ImmutableList<String> of(List<X509Certificate> chain) {
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      out.add(i + ": " + name(c.getSubjectX500Principal().getName()) + " (issuer " + name(c.getIssuerX500Principal().getName())
          + "; " + describe(c.getPublicKey()) + "; " + c.getSigAlgName() + "; valid "
          + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")");
    }
    return out.build();
  }

  private static String name(String dn) {
    return dn.isEmpty() ? "(empty subject)" : dn;
  }

  static String describe(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return "RSA " + ((RSAPublicKey) key).getModulus().bitLength() + " bits";
    }
    if (key instanceof ECPublicKey) {
      return "EC " + ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize() + " bits";
    }
    return key.getAlgorithm();
  }
}
