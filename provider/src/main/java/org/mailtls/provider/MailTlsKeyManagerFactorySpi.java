package org.mailtls.provider;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableKeyException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import org.jspecify.annotations.Nullable;

/**
 * {@code KeyManagerFactory.getInstance("MailTLS")} over a plain {@link KeyStore}: server keys held
 * in memory; as a client it offers no certificate (account scoping comes with the accounts issue).
 */
final class MailTlsKeyManagerFactorySpi extends KeyManagerFactorySpi {
  private @Nullable InMemoryKeyManager manager;

  @Override
  protected void engineInit(KeyStore ks, char[] password)
      throws KeyStoreException, NoSuchAlgorithmException, UnrecoverableKeyException {
    if (ks == null) {
      throw new KeyStoreException("MailTLS key managers need a key store; there is no default server key");
    }
    manager = InMemoryKeyManager.from(ks, password == null ? new char[0] : password);
  }

  @Override
  protected void engineInit(ManagerFactoryParameters spec) throws InvalidAlgorithmParameterException {
    throw new InvalidAlgorithmParameterException(
        "MailTLS key managers are initialised with a KeyStore and its password; account parameters come later");
  }

  @Override
  protected KeyManager[] engineGetKeyManagers() {
    if (manager == null) {
      throw new IllegalStateException("KeyManagerFactory \"MailTLS\" was not initialised");
    }
    return new KeyManager[] {manager};
  }
}
