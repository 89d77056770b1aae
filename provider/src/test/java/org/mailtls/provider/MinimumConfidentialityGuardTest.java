package org.mailtls.provider;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailtls.policy.AccountPolicy;
import org.mailtls.policy.ConfidentialityLevel;
import org.mailtls.policy.pin.InMemoryPinStore;
import org.mailtls.testing.HeldCertificate;
import org.mailtls.testing.TestPki;

/**
 * The guard a mail stack calls before LOGIN/AUTH (R8314-C-22), used by a tiny IMAP-like client:
 * capability discovery may happen before it, credentials never do unless the account's minimum
 * confidentiality level is met. The server records every line it received.
 */
class MinimumConfidentialityGuardTest {
  private static final TestPki PKI = TestPki.create();
  private static final HeldCertificate LEAF = PKI.leaf().addDnsName("mail.example.net").build();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  /** The client's protocol code: greeting, CAPABILITY, then the guard, then LOGIN. */
  private static void login(Socket socket, AccountPolicy account) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
    OutputStream out = socket.getOutputStream();
    in.readLine();
    out.write("a CAPABILITY\r\n".getBytes(US_ASCII));
    out.flush();
    in.readLine();
    MailTls.requireMinimumConfidentiality(socket, account);
    out.write("b LOGIN alice secret\r\n".getBytes(US_ASCII));
    out.flush();
    in.readLine();
  }

  /** A one-connection line server on 127.0.0.1 that answers OK and records the commands. */
  private Future<?> serve(ServerSocket server, List<String> received) {
    return threads.submit(() -> {
      try (server; Socket s = server.accept()) {
        s.setSoTimeout(10_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
        OutputStream out = s.getOutputStream();
        out.write("* OK ready\r\n".getBytes(US_ASCII));
        out.flush();
        for (String line; (line = in.readLine()) != null; ) {
          received.add(line);
          out.write((line.split(" ")[0] + " OK\r\n").getBytes(US_ASCII));
          out.flush();
        }
      }
      return null;
    });
  }

  @Test
  void cleartextConnection_mclAccount_loginNeverSent() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Future<?> done = serve(server, received);
    AccountPolicy alice = AccountFixtures.account("alice").build();

    MinimumConfidentialityException e;
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      s.setSoTimeout(10_000);
      e = assertThrows(MinimumConfidentialityException.class, () -> login(s, alice));
    }
    done.get(10, TimeUnit.SECONDS);

    assertEquals(ConfidentialityLevel.NONE, e.assessment().level());
    assertEquals(List.of("a CAPABILITY"), received);
    assertFalse(received.stream().anyMatch(l -> l.contains("LOGIN")));
  }

  @Test
  void verifiedTlsConnection_mclAccount_loginSent() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    ServerSocket server = TestServers.rawServer(LEAF).getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Future<?> done = serve(server, received);
    AccountPolicy alice = AccountFixtures.account("alice")
        .addEndpoint(org.mailtls.policy.MailEndpoint.of("mail.example.net", server.getLocalPort(),
            org.mailtls.policy.identity.MailService.IMAPS, org.mailtls.policy.identity.HostProvenance.USER_TYPED))
        .build();
    SSLContext ctx = AccountFixtures.client(JsseEngine.BCJSSE, PKI, alice, new InMemoryPinStore());

    try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "mail.example.net", server.getLocalPort(), true)) {
      s.setSoTimeout(10_000);
      login(s, alice);
      assertTrue(MailTls.assess(s).isConfidential());
    }
    done.get(10, TimeUnit.SECONDS);

    assertEquals(List.of("a CAPABILITY", "b LOGIN alice secret"), received);
  }
}
