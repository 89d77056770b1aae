package org.mailtls.provider;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.time.Clock;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactorySpi;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.MailTlsPolicy;
import org.mailtls.policy.pin.PinStore;
import org.mailtls.policy.server.ClientCertificateMapping;

/**
 * {@code TrustManagerFactory.getInstance("MailTLS")}: initialised with a plain {@link KeyStore}
 * (trust anchors, strict policy, no account) or with {@link MailTlsParameters}.
 */
final class MailTlsTrustManagerFactorySpi extends TrustManagerFactorySpi {
  private @Nullable PolicyTrustManager manager;

  @Override
  protected void engineInit(KeyStore ks) throws KeyStoreException {
    manager = create(ks, MailTlsPolicy.strict(), null, Clock.systemUTC(), null, null);
  }

  @Override
  protected void engineInit(ManagerFactoryParameters spec) throws InvalidAlgorithmParameterException {
    if (!(spec instanceof MailTlsParameters)) {
      throw new InvalidAlgorithmParameterException("MailTLS trust managers take MailTlsParameters, not "
          + (spec == null ? "null" : spec.getClass().getName()));
    }
    MailTlsParameters p = (MailTlsParameters) spec;
    try {
      manager = create(p.trustStore().orElse(null), p.policy(), p.account().orElse(null), p.clock(),
          p.pinStore().orElse(null), p.clientCertificateMapping().orElse(null));
    } catch (KeyStoreException e) {
      throw new InvalidAlgorithmParameterException(e.getMessage(), e);
    }
  }

  @Override
  protected TrustManager[] engineGetTrustManagers() {
    if (manager == null) {
      throw new IllegalStateException("TrustManagerFactory \"MailTLS\" was not initialised");
    }
    return new TrustManager[] {manager};
  }

  static PolicyTrustManager create(@Nullable KeyStore ks, MailTlsPolicy policy, @Nullable AccountPolicy account,
      Clock clock, @Nullable PinStore pins, @Nullable ClientCertificateMapping mapping) throws KeyStoreException {
    PathValidator paths = new PathValidator(TrustAnchors.from(ks), policy.revocation(), clock, policy.maxChainLength());
    return new PolicyTrustManager(new TrustChecks(policy, account, paths, pins, mapping,
        ValidatedChainCache.shared()), new ConnectionRegistry());
  }
}
