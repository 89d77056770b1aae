package org.mailtls.provider;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/** Trust anchors from a key store, or the JDK's default trust store when none is given. */
final class TrustAnchors {
  private TrustAnchors() {}

  static Set<TrustAnchor> from(@Nullable KeyStore store) throws KeyStoreException {
    Set<TrustAnchor> out = new HashSet<>();
    if (store == null) {
      for (X509Certificate c : systemTrustManager().getAcceptedIssuers()) {
        out.add(new TrustAnchor(c, null));
      }
    } else {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isCertificateEntry(alias)) {
          Certificate c = store.getCertificate(alias);
          if (c instanceof X509Certificate) {
            out.add(new TrustAnchor((X509Certificate) c, null));
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new KeyStoreException("the trust store holds no trusted certificate entry: nothing could be validated");
    }
    return out;
  }

  private static X509TrustManager systemTrustManager() throws KeyStoreException {
    try {
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init((KeyStore) null);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509TrustManager) {
          return (X509TrustManager) tm;
        }
      }
      throw new KeyStoreException("the JDK's default TrustManagerFactory has no X509TrustManager");
    } catch (NoSuchAlgorithmException e) {
      throw new KeyStoreException("cannot load the JDK's default trust store", e);
    }
  }
}
