package org.mailtls.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/**
 * Every public instance method a wrapper inherits from its JSSE base classes must be overridden
 * by MailTLS code: an inherited one would act on the wrapper's own, unused state (an unconnected
 * socket, a peerless engine) or bypass the guard. A method counts as overridden when the wrapper
 * class or one of its MailTLS superclasses ({@link ForwardingSslSocket}) declares it, so deleting
 * any override makes these tests fail.
 */
final class OverridesWrapperTest {
  /**
   * Methods that need no override, as "Class#name(ParamType,...)". Empty on purpose: static
   * methods ({@code SocketFactory.getDefault}, {@code Socket.setSocketImplFactory}, {@code
   * ServerSocket.setSocketFactory}) and final ones ({@code ServerSocket.implAccept}, protected)
   * cannot be overridden and are skipped by the filter; every other public method is forwarded.
   */
  private static final Set<String> ALLOWED_MISSING = Set.of();

  @Test
  void socketOverridesEverySslSocketAndSocketMethod() {
    assertNoneMissing(MailTlsSocket.class, SSLSocket.class, Socket.class);
  }

  @Test
  void serverSocketOverridesEverySslServerSocketAndServerSocketMethod() {
    assertNoneMissing(MailTlsServerSocket.class, SSLServerSocket.class, ServerSocket.class);
  }

  @Test
  void engineOverridesEverySslEngineMethod() {
    assertNoneMissing(MailTlsEngine.class, SSLEngine.class);
  }

  @Test
  void socketFactoryOverridesEveryFactoryMethod() {
    assertNoneMissing(MailTlsSocketFactory.class, SSLSocketFactory.class, SocketFactory.class);
  }

  @Test
  void serverSocketFactoryOverridesEveryFactoryMethod() {
    assertNoneMissing(MailTlsServerSocketFactory.class, SSLServerSocketFactory.class,
        ServerSocketFactory.class);
  }

  /** The check itself must be able to fail: a wrapper lacking overrides is reported. */
  @Test
  void checkReportsMissingOverrides() {
    List<String> missing = missingOverrides(PartialSocket.class, SSLSocket.class, Socket.class);
    assertTrue(missing.contains("SSLSocket#startHandshake()"), missing::toString);
    assertTrue(missing.contains("Socket#connect(java.net.SocketAddress,int)"), missing::toString);
    assertFalse(missing.contains("Socket#close()"), missing::toString);
  }

  /** The MailTLS socket splits its overrides over two classes; both count, JDK classes do not. */
  @Test
  void jdkSuperclassesDoNotCountAsOverrides() {
    List<String> missing = missingOverrides(JdkOnlySocket.class, Socket.class);
    assertEquals(declaredOverridable(Socket.class).size(), missing.size(), missing::toString);
  }

  private static void assertNoneMissing(Class<?> wrapper, Class<?>... bases) {
    List<String> missing = missingOverrides(wrapper, bases);
    assertTrue(missing.isEmpty(), () -> wrapper.getSimpleName() + " inherits " + missing);
  }

  static List<String> missingOverrides(Class<?> wrapper, Class<?>... bases) {
    List<String> missing = new ArrayList<>();
    for (Class<?> base : bases) {
      for (Method m : declaredOverridable(base)) {
        String key = base.getSimpleName() + "#" + m.getName() + "(" + Arrays.stream(
            m.getParameterTypes()).map(Class::getName).collect(Collectors.joining(",")) + ")";
        if (!ALLOWED_MISSING.contains(key) && !declaredInMailTls(wrapper, m)) {
          missing.add(key);
        }
      }
    }
    return missing;
  }

  private static List<Method> declaredOverridable(Class<?> base) {
    List<Method> out = new ArrayList<>();
    for (Method m : base.getDeclaredMethods()) {
      int mod = m.getModifiers();
      if (Modifier.isPublic(mod) && !Modifier.isStatic(mod) && !Modifier.isFinal(mod)
          && !m.isSynthetic() && !m.isBridge()) {
        out.add(m);
      }
    }
    return out;
  }

  /** True when {@code wrapper} or a superclass in this package declares {@code m}'s signature. */
  private static boolean declaredInMailTls(Class<?> wrapper, Method m) {
    for (Class<?> c = wrapper; c != null && c.getPackageName().equals(
        OverridesWrapperTest.class.getPackageName()); c = c.getSuperclass()) {
      try {
        c.getDeclaredMethod(m.getName(), m.getParameterTypes());
        return true;
      } catch (NoSuchMethodException e) {
        // keep looking in the superclass
      }
    }
    return false;
  }

  /** A wrapper that forgot almost everything: only {@code close()} is overridden. */
  abstract static class PartialSocket extends SSLSocket {
    @Override
    public void close() {}
  }

  /** Declares nothing: every {@code Socket} method comes from the JDK. */
  static class JdkOnlySocket extends Socket {}
}
