package org.mailtls.provider.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.provider.JsseEngine;
import org.mailtls.provider.MailTlsProvider;

/** R8314-S-04: STARTTLS is advertised only when the context can really serve TLS, and only before TLS and login. */
class StartTlsAdvertisementTest {
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void mayAdvertise_withServerKey_true_withoutKeyManagers_false(JsseEngine engine) throws Exception {
    assertTrue(StartTlsAdvertisement.mayAdvertise(ServerFixtures.server(engine)));
    assertFalse(StartTlsAdvertisement.mayAdvertise(ServerFixtures.client(engine)));
  }

  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void mayAdvertise_uninitialisedMailTlsContext_false(JsseEngine engine) throws Exception {
    SSLContext fresh = SSLContext.getInstance(MailTlsProvider.ALGORITHM, new MailTlsProvider(engine));
    assertFalse(StartTlsAdvertisement.mayAdvertise(fresh));
  }

  /** A raw JSSE context holding a key is not vouched for: its floors are not MailTLS's. */
  @Test
  void mayAdvertise_foreignContextWithKey_false() throws Exception {
    assertFalse(StartTlsAdvertisement.mayAdvertise(ServerFixtures.rawServer()));
  }

  /** RFC 3207 §4.2, STL-08: not after TLS, not after login. */
  @Test
  void mayAdvertise_onlyInPlainUnauthenticatedState() throws Exception {
    SSLContext server = ServerFixtures.server(JsseEngine.BCJSSE);
    for (ServerSessionState s : ServerSessionState.values()) {
      assertEquals(s == ServerSessionState.PLAIN_UNAUTHENTICATED, StartTlsAdvertisement.mayAdvertise(server, s),
          s::name);
    }
  }

  @Test
  void sessionState_transitions() {
    assertEquals(ServerSessionState.PLAIN_UNAUTHENTICATED, ServerSessionState.initial(false));
    assertEquals(ServerSessionState.TLS_UNAUTHENTICATED, ServerSessionState.initial(true));
    assertEquals(ServerSessionState.PLAIN_AUTHENTICATED,
        ServerSessionState.PLAIN_UNAUTHENTICATED.afterAuthentication());
    assertEquals(ServerSessionState.TLS_AUTHENTICATED, ServerSessionState.TLS_UNAUTHENTICATED.afterAuthentication());
    assertEquals(ServerSessionState.TLS_UNAUTHENTICATED, ServerSessionState.PLAIN_UNAUTHENTICATED.afterStartTls());
    assertThrows(IllegalStateException.class, ServerSessionState.PLAIN_AUTHENTICATED::afterStartTls);
    assertThrows(IllegalStateException.class, ServerSessionState.TLS_UNAUTHENTICATED::afterStartTls);
  }
}
