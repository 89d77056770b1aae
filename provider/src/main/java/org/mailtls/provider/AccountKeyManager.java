package org.mailtls.provider;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ClientCertificateScope;
import org.mailtls.policy.MailEndpoint;

/**
 * The client half of an account's key material (RFC 8314 §5.5): offers only the alias bound to the
 * account, and only to an endpoint the binding allows; a key store holding other accounts'
 * certificates never leaks them (R8314-C-33, C-34). JSSE asks a key manager only after the server
 * sent a CertificateRequest, so nothing is offered to a server that did not ask. Server methods
 * delegate unchanged.
 */
final class AccountKeyManager extends X509ExtendedKeyManager {
  private final X509ExtendedKeyManager keys;
  private final AccountPolicy account;
  private final ClientCertificateScope scope;
  private final ConnectionRegistry registry;

  AccountKeyManager(X509ExtendedKeyManager keys, AccountPolicy account, ConnectionRegistry registry) {
    this.keys = keys;
    this.account = account;
    this.scope = account.clientCertificate().orElseThrow(
        () -> new IllegalArgumentException("account " + account.accountId() + " binds no client certificate"));
    this.registry = registry;
    if (keys.getPrivateKey(scope.alias()) == null || keys.getCertificateChain(scope.alias()) == null) {
      throw new IllegalArgumentException("account " + account.accountId() + " binds client certificate alias \""
          + scope.alias() + "\", which the key managers do not hold as a private-key entry");
    }
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return fits(keyType) ? new String[] {scope.alias()} : null;
  }

  @Override
  public @Nullable String chooseClientAlias(String[] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
    Object inner = socket instanceof MailTlsSocket ? ((MailTlsSocket) socket).inner() : socket;
    return choose(keyTypes, inner);
  }

  @Override
  public @Nullable String chooseEngineClientAlias(String[] keyTypes, Principal @Nullable [] issuers,
      @Nullable SSLEngine engine) {
    Object inner = engine instanceof MailTlsEngine ? ((MailTlsEngine) engine).inner() : engine;
    return choose(keyTypes, inner);
  }

  private @Nullable String choose(String[] keyTypes, @Nullable Object inner) {
    ConnectionContext ctx = inner == null ? null : registry.find(inner);
    String host = ctx == null ? null : ctx.host();
    if (host == null) {
      return null; // no connection context: offer nothing (fail closed)
    }
    Optional<MailEndpoint> endpoint = account.endpointFor(host, ctx.port());
    if (endpoint.isEmpty() || !scope.allows(endpoint.get())) {
      return null;
    }
    for (String t : keyTypes) {
      if (fits(t)) {
        return scope.alias();
      }
    }
    return null;
  }

  /** Key types as engines name them ({@link KeyTypes}); the leaf's curve must match "EC/<curve>" types. */
  private boolean fits(String keyType) {
    PrivateKey key = keys.getPrivateKey(scope.alias());
    X509Certificate[] chain = keys.getCertificateChain(scope.alias());
    return key != null && chain != null && chain.length > 0
        && KeyTypes.fits(keyType, key, chain[0].getPublicKey());
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    return keys.getServerAliases(keyType, issuers);
  }

  @Override
  public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return keys.chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers,
      @Nullable SSLEngine engine) {
    return keys.chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(String alias) {
    return keys.getCertificateChain(alias);
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(String alias) {
    return keys.getPrivateKey(alias);
  }
}
