package org.mailtls.policy.limbo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.mailtls.policy.identity.DnsName;
import org.mailtls.policy.identity.IdentityMatch;
import org.mailtls.policy.identity.IdentityMatcher;
import org.mailtls.policy.identity.IpAddress;
import org.mailtls.policy.identity.ReferenceIdentities;
import org.mailtls.policy.identity.ReferenceIdentity;
import org.mailtls.policy.identity.ReferenceSource;

/**
 * Decides each limbo testcase the way MailTLS would: (1) path validation, for now with the JDK's
 * PKIX {@link CertPathBuilder} as a stand-in for MailTLS's own trust manager; (2) when the case
 * names a peer, {@link IdentityMatcher#strict()} on the leaf. SUCCESS iff both pass.
 *
 * <p>Never throws for a testcase: every exception becomes a FAILURE with its reason.
 */
final class LimboRunner {
  private static final ThreadLocal<CertificateFactory> X509 = ThreadLocal.withInitial(() -> {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  });

  /** Parsed trusted certificates by PEM text: BetterTLS's 9,491 cases share one root. */
  private final Map<String, X509Certificate> anchorCache = new ConcurrentHashMap<>();

  /** Reads every case of {@code file} and decides it with {@code threads} workers; file order. */
  List<LimboResult> runAll(Path file, int threads) throws IOException {
    List<LimboResult> results = new ArrayList<>();
    if (threads <= 1) {
      int[] index = {0};
      LimboCase.forEach(file, c -> results.add(evaluate(index[0]++, c)));
      return results;
    }
    List<LimboResult> shared = Collections.synchronizedList(results);
    // A short queue and CallerRunsPolicy keep only a few parsed cases in memory at once.
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(4 * threads), new ThreadPoolExecutor.CallerRunsPolicy());
    try {
      int[] index = {0};
      LimboCase.forEach(file, c -> {
        int i = index[0]++;
        pool.execute(() -> shared.add(evaluate(i, c)));
      });
    } finally {
      pool.shutdown();
    }
    try {
      if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
        throw new IllegalStateException("limbo workers did not finish in 30 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    results.sort(Comparator.comparingInt(LimboResult::index));
    return results;
  }

  /** Decides one case. */
  LimboResult evaluate(int index, LimboCase c) {
    if (!"SERVER".equals(c.validationKind())) {
      return LimboResult.skipped(index, c, "validation_kind " + c.validationKind() + ": MailTLS validates servers only");
    }
    if (c.expectedPeerName() != null && "RFC822".equals(c.expectedPeerName().kind())) {
      return LimboResult.skipped(index, c, "RFC822 peer name: an email address never identifies a mail server");
    }
    try {
      return decide(index, c);
    } catch (Exception | StackOverflowError e) {
      return LimboResult.decided(index, c, false, "harness caught " + describe(e));
    }
  }

  private LimboResult decide(int index, LimboCase c) {
    X509Certificate peer;
    List<X509Certificate> trusted = new ArrayList<>();
    List<X509Certificate> intermediates = new ArrayList<>();
    try {
      peer = parse(c.peerCertificate());
    } catch (Exception e) {
      return LimboResult.decided(index, c, false, "peer certificate does not parse: " + describe(e));
    }
    try {
      for (String pem : c.trusted()) {
        trusted.add(parseAnchor(pem));
      }
      for (String pem : c.intermediates()) {
        intermediates.add(parse(pem));
      }
    } catch (Exception e) {
      return LimboResult.decided(index, c, false, "a trusted or intermediate certificate does not parse: " + describe(e));
    }
    String pathFailure = validatePath(c, peer, trusted, intermediates);
    String nameFailure = null;
    String nameNote = "";
    String nameMatch = null;
    if (c.expectedPeerName() != null) {
      IdentityMatch match;
      try {
        match = matchName(c.expectedPeerName(), peer);
        if (match instanceof IdentityMatch.Matched) {
          nameNote = oneLine(match.message());
          nameMatch = ((IdentityMatch.Matched) match).kind().name();
        } else {
          nameFailure = oneLine(match.message());
        }
      } catch (IllegalArgumentException e) {
        nameFailure = "reference " + c.expectedPeerName().kind() + " \"" + c.expectedPeerName().value()
            + "\" cannot be formed: " + describe(e);
      }
    }
    if (pathFailure == null && nameFailure == null) {
      return LimboResult.decided(index, c, true, nameNote, nameMatch);
    }
    StringBuilder reason = new StringBuilder();
    if (pathFailure != null) {
      reason.append("path: ").append(pathFailure);
    }
    if (nameFailure != null) {
      reason.append(reason.length() > 0 ? "; " : "").append("name: ").append(nameFailure);
    } else if (nameMatch != null) {
      reason.append("; name: matched (").append(nameMatch).append(')');
    }
    return LimboResult.decided(index, c, false, reason.toString(), nameMatch);
  }

  private static IdentityMatch matchName(LimboCase.PeerName name, X509Certificate leaf) {
    ReferenceIdentity ref;
    switch (name.kind()) {
      case "DNS":
        ref = new ReferenceIdentity.DnsId(DnsName.parse(name.value()), ReferenceSource.EXPLICIT);
        break;
      case "IP":
        ref = new ReferenceIdentity.IpId(IpAddress.parse(name.value()), ReferenceSource.EXPLICIT);
        break;
      default:
        throw new IllegalArgumentException("unsupported peer name kind " + name.kind());
    }
    return IdentityMatcher.strict().match(ReferenceIdentities.of(List.of(ref)), leaf);
  }

  /** Returns null when the JDK PKIX builder finds a valid path, else the reason. */
  private static @Nullable String validatePath(
      LimboCase c, X509Certificate peer, List<X509Certificate> trusted, List<X509Certificate> intermediates) {
    try {
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate t : trusted) {
        anchors.add(new TrustAnchor(t, null));
      }
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(peer);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false);
      List<Certificate> pool = new ArrayList<>(intermediates);
      pool.add(peer);
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
      if (c.validationTime() != null) {
        params.setDate(Date.from(OffsetDateTime.parse(c.validationTime()).toInstant()));
      }
      if (c.maxChainDepth() != null) {
        params.setMaxPathLength(c.maxChainDepth());
      }
      CertPathBuilder.getInstance("PKIX").build(params);
      return null;
    } catch (Exception e) {
      return describe(e);
    }
  }

  private X509Certificate parseAnchor(String pem) throws CertificateException {
    X509Certificate cached = anchorCache.get(pem);
    if (cached != null) {
      return cached;
    }
    X509Certificate parsed = parse(pem);
    X509Certificate raced = anchorCache.putIfAbsent(pem, parsed);
    return raced != null ? raced : parsed;
  }

  private static X509Certificate parse(String pem) throws CertificateException {
    return (X509Certificate) X509.get().generateCertificate(
        new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The exception's class and message, followed by its distinct causes' messages. */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
    String last = null;
    int depth = 0;
    for (Throwable t = e; t != null && depth < 5; t = t.getCause(), depth++) {
      String m = t.getMessage();
      if (m != null && !m.equals(last) && (last == null || !last.contains(m))) {
        sb.append(depth == 0 ? ": " : " <- ").append(oneLine(m));
        last = m;
      }
    }
    return sb.toString();
  }

  static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }
}
