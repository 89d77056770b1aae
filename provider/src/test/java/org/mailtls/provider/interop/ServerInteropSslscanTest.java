package org.mailtls.provider.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.net.ssl.SSLServerSocket;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailtls.policy.tls.CipherSuites;
import org.mailtls.policy.tls.NamedGroups;
import org.mailtls.provider.JsseEngine;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * sslscan 2.0.7 (on OpenSSL 3.0) against MailTLS servers lists exactly what the policy allows
 * (TLS-01, TLS-03, TLS-12..TLS-18, TLS-21/22, R8314-S-02): protocols TLSv1.2 and TLSv1.3 only; as
 * suites, per version, exactly the server socket's enabled suites, which are exactly {@link
 * CipherSuites#ALLOWED} (the server holds an EC and an RSA key, so every allowed suite is
 * negotiable: nothing CBC, nothing with RSA key exchange); as TLS 1.3 groups exactly {@link
 * NamedGroups#ALLOWED} on BCJSSE (SunJSSE on JDK 17: plus the JDK's ffdhe groups, as documented). sslscan's OpenSSL suite names are turned into IANA
 * names by the suite ids, through {@code openssl ciphers -V -stdname}. A positive control shows that
 * the same scan and parser do report TLS 1.0/1.1, CBC and static-RSA suites where a server allows them.
 * With every suite offered, the MailTLS socket server prefers TLS_AES_128_GCM_SHA256 and
 * TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (TLS-20, server side).
 */
@Timeout(110)
class ServerInteropSslscanTest {
  @TempDir
  static Path tmp;

  private static ExternalClients clients;
  /** "0xC02B" → "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", from the system's OpenSSL. */
  private static final Map<String, String> IANA = new TreeMap<>();

  @BeforeAll
  static void suiteNames() {
    clients = new ExternalClients(tmp);
    ExternalClients.Run r = clients.run(Duration.ofSeconds(10),
        "openssl", "ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
    assertTrue(r.succeeded(), r::toString);
    r.output().lines().map(String::strip).filter(l -> l.startsWith("0x")).forEach(l -> {
      String[] f = l.split("\\s+-\\s+|\\s+");
      IANA.put(suiteId(f[0]), f[1]);
    });
    assertTrue(IANA.containsValue("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), r::toString);
    System.out.println(clients.version("sslscan", "--version"));
  }

  /** The IMAPS server whose listener is the MailTLS context's SSLServerSocket, on each engine. */
  @ParameterizedTest
  @EnumSource(JsseEngine.class)
  void socketServer_listsExactlyThePolicy(JsseEngine engine) throws Exception {
    try (ServerInteropImaps server = ServerInteropImaps.implicitTls(ServerInteropFixtures.mailTlsServer(engine))) {
      Set<String> enabled = Set.of(((SSLServerSocket) server.listener()).getEnabledCipherSuites());
      assertEquals(new TreeSet<>(CipherSuites.ALLOWED), new TreeSet<>(enabled), "enabled on the server socket");

      Scan scan = scan(server.port());

      scan.assertExactly(enabled, groups13(engine));
      // TLS-20 (server side): with everything offered, the server picks the RFC 9325 §4.2.1 suite first
      assertEquals(Set.of("TLSv1.3 TLS_AES_128_GCM_SHA256", "TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
          scan.preferred(), scan::toString);
    }
  }

  /**
   * R8314-S-04: the STARTTLS port has the implicit-TLS port's floors ({@code sslscan --starttls-imap},
   * a fresh STARTTLS on every probe connection through StartTlsUpgrade).
   */
  @Test
  void startTlsServer_listsExactlyThePolicy() throws Exception {
    try (ServerInteropImaps server = ServerInteropImaps.startTls(ServerInteropFixtures.mailTlsServer(JsseEngine.BCJSSE))) {
      Scan scan = scan(server.port(), "--starttls-imap");

      scan.assertExactly(Set.copyOf(CipherSuites.ALLOWED), groups13(JsseEngine.BCJSSE));
      assertTrue(server.served.stream().anyMatch(s -> s.commands().contains("STARTTLS")), server.served::toString);
    }
  }

  /**
   * TLS 1.3 groups a MailTLS server accepts: on BCJSSE exactly {@link NamedGroups#ALLOWED} (set per
   * connection); on SunJSSE (JDK 17 cannot set groups per connection) the JDK's default list, which
   * adds ffdhe2048..ffdhe8192, all of at least 2048 bits (TLS-24; README "engines" table, RFC 9325 §4.5).
   */
  private static Set<String> groups13(JsseEngine engine) {
    Set<String> groups = new TreeSet<>(NamedGroups.ALLOWED);
    if (engine == JsseEngine.SUNJSSE) {
      groups.addAll(Set.of("ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"));
    }
    return groups;
  }

  /** The Netty SslHandler server: Netty sets its own default suites on every engine; the policy still holds. */
  @Test
  void nettyServer_listsExactlyThePolicy() throws Exception {
    try (ServerInteropNettyImaps server = ServerInteropNettyImaps.start(JsseEngine.BCJSSE, null)) {
      Set<String> enabled = Set.of(server.sampleEngine().getEnabledCipherSuites());
      assertTrue(CipherSuites.ALLOWED.containsAll(enabled), () -> "Netty engine enables " + enabled);

      Scan scan = scan(server.port());

      scan.assertExactly(enabled, groups13(JsseEngine.BCJSSE));
    }
  }

  /** Positive control: the same scan and parser see legacy versions and weak suites on a permissive server. */
  @Test
  void permissiveControl_legacyVersionsAndWeakSuitesAreReported() throws Exception {
    try (ServerInteropImaps raw = ServerInteropImaps.implicitTls(ServerInteropFixtures.rawServer(),
        ServerInteropFixtures::permissive)) {
      Scan scan = scan(raw.port());

      assertTrue(scan.protocols.containsAll(Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")), scan::toString);
      for (String weak : new String[] {"TLSv1.2 TLS_RSA_WITH_AES_128_CBC_SHA",
          "TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLSv1.2 TLS_RSA_WITH_AES_256_GCM_SHA384",
          "TLSv1.1 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"}) {
        assertTrue(scan.suites.contains(weak), () -> weak + " not reported:\n" + scan);
      }
      assertFalse(scan.groups13.isEmpty(), scan::toString);
    }
  }

  /** What sslscan reported: enabled protocols, "version suite" pairs (IANA names), TLS 1.3 / 1.2 groups. */
  record Scan(Set<String> protocols, Set<String> suites, Set<String> preferred, Set<String> groups13,
      Set<String> groups12, ExternalClients.Run run) {
    void assertExactly(Set<String> enabled, Set<String> tls13Groups) {
      Set<String> expected = new TreeSet<>();
      enabled.forEach(s -> expected.add((CipherSuites.TLS13.contains(s) ? "TLSv1.3 " : "TLSv1.2 ") + s));
      assertEquals(Set.of("TLSv1.2", "TLSv1.3"), protocols, this::toString);
      assertEquals(expected, suites, this::toString);
      assertEquals(tls13Groups, groups13, this::toString);
      assertFalse(groups12.isEmpty(), this::toString);
      assertTrue(NamedGroups.ALLOWED.containsAll(groups12), this::toString);
    }

    @Override
    public String toString() {
      return "parsed: protocols " + protocols + "\n  suites " + suites + "\n  preferred " + preferred + "\n  TLS 1.3 groups " + groups13
          + "\n  TLS 1.2 groups " + groups12 + "\n" + run;
    }
  }

  private Scan scan(int port, String... extra) throws Exception {
    Path xml = tmp.resolve("sslscan-" + port + ".xml");
    List<String> cmd = new ArrayList<>(List.of("sslscan", "--no-colour", "--show-cipher-ids", "--no-fallback",
        "--no-renegotiation", "--no-compression", "--no-heartbleed", "--sni-name=localhost", "--xml=" + xml));
    cmd.addAll(List.of(extra));
    cmd.add("127.0.0.1:" + port);
    ExternalClients.Run r = clients.run(Duration.ofSeconds(60), cmd.toArray(String[]::new));
    System.out.println(r.summary());
    assertTrue(r.succeeded(), r::toString);
    Element doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile()).getDocumentElement();
    Set<String> protocols = new TreeSet<>();
    for (Element e : elements(doc, "protocol")) {
      if ("1".equals(e.getAttribute("enabled"))) {
        String v = e.getAttribute("version");
        protocols.add("ssl".equals(e.getAttribute("type")) ? "SSLv" + v : "1.0".equals(v) ? "TLSv1" : "TLSv" + v);
      }
    }
    Set<String> suites = new TreeSet<>();
    Set<String> preferred = new TreeSet<>();
    for (Element e : elements(doc, "cipher")) {
      String id = suiteId(e.getAttribute("id"));
      String suite = e.getAttribute("sslversion") + " " + IANA.getOrDefault(id, e.getAttribute("cipher") + " (" + id + ")");
      suites.add(suite);
      if ("preferred".equals(e.getAttribute("status"))) {
        preferred.add(suite);
      }
    }
    Set<String> groups13 = new TreeSet<>();
    Set<String> groups12 = new TreeSet<>();
    for (Element e : elements(doc, "group")) {
      String name = e.getAttribute("name").replaceFirst(" \\(.*\\)$", "");
      ("TLSv1.3".equals(e.getAttribute("sslversion")) ? groups13 : groups12).add(name);
    }
    return new Scan(protocols, suites, preferred, groups13, groups12, r);
  }

  /** "0xC0,0x2B" (openssl ciphers) and "0xC02B" (sslscan) both become "C02B". */
  private static String suiteId(String hex) {
    return hex.replace(",0x", "").replaceFirst("^0x", "").toUpperCase(java.util.Locale.ROOT);
  }

  private static Iterable<Element> elements(Element doc, String tag) {
    NodeList nodes = doc.getElementsByTagName(tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add((Element) nodes.item(i));
    }
    return out;
  }
}
