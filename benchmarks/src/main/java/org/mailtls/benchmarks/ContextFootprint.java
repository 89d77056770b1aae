package org.mailtls.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import org.mailtls.policy.AccountPolicy;

/**
 * Memory per account context: the heap a live {@code SSLContext} for one account keeps (retained,
 * after full GCs), and what creating it allocates, for each variant. Not a JMH benchmark, because
 * JMH's {@code -prof gc} only sees allocation; run as
 * {@code java -Xms2g -Xmx2g -cp benchmarks.jar org.mailtls.benchmarks.ContextFootprint [contexts]}.
 *
 * <p>Each variant first makes and drops a few contexts, so provider-wide state (the BouncyCastle
 * provider, class loading, the JDK's trust-store caches) is not charged to the measured contexts;
 * then it keeps {@code contexts} contexts alive (default 1,000) made with the same trust store and
 * account as {@code ContextBenchmark}, and divides the growth of the used heap by their number.
 */
public final class ContextFootprint {
  private ContextFootprint() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    Fixtures f = Fixtures.of("EC_P256");
    KeyStore trustStore = f.trustStore();
    AccountPolicy account = ContextBenchmark.account();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    System.out.println("# Memory per account context (" + n + " contexts kept alive per variant), "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", max heap "
        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
    System.out.println();
    System.out.println("| variant | retained KiB per context | allocated KiB per context creation |");
    System.out.println("|---|---|---|");
    for (Variant v : Variant.values()) {
      for (int i = 0; i < 50; i++) {
        v.accountContext(trustStore, account);
      }
      fullGc();
      long before = memory.getHeapMemoryUsage().getUsed();
      SSLContext[] keep = new SSLContext[n];
      long allocatedBefore = threads.getThreadAllocatedBytes(self);
      for (int i = 0; i < n; i++) {
        keep[i] = v.accountContext(trustStore, account);
      }
      long allocated = threads.getThreadAllocatedBytes(self) - allocatedBefore;
      fullGc();
      long after = memory.getHeapMemoryUsage().getUsed();
      Reference.reachabilityFence(keep);
      System.out.println(String.format(Locale.ROOT, "| %s | %.1f | %.1f |", v,
          (after - before) / 1024.0 / n, allocated / 1024.0 / n));
    }
  }

  private static void fullGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
  }
}
