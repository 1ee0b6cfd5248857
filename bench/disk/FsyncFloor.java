import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The disk's floor for a durable decision: appends one audit-sized line (1.5 KB) and forces it (fdatasync, as the
 * audit log does), N times, alone and at a fixed rate, and prints the latency distribution of the force. A third part
 * is the audit log's own scheme without its code: lines appended at the fixed rate by one thread (parked until each
 * is due, as a request arrives), group committed by a second thread that forces everything written before each of
 * its forces, timed from each line's due time until a force covering it returned. That is the least a call waits
 * for a durable decision at that rate: queueing behind a force already under way is part of it. No Cloned code runs
 * here. Run: {@code java bench/disk/FsyncFloor.java [DIR] [N] [RATE]} (defaults: a temp dir on the
 * current disk, 5,000 appends, and 3,000/s for the fixed-rate part). Figures: docs/performance.md.
 */
public final class FsyncFloor {
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Path.of(".");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 3_000;
        Path file = Files.createTempFile(dir, "fsync-floor-", ".log");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            byte[] line = new byte[1536];
            Arrays.fill(line, (byte) 'x');
            line[line.length - 1] = '\n';
            report("back to back", run(ch, line, n, 0));
            report("paced at " + rate + "/s (one append each)", run(ch, line, n, rate));
            report("group commit at " + rate + "/s (due to durable)", groupCommit(ch, line, n, rate));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long[] run(FileChannel ch, byte[] line, int n, int rate) throws Exception {
        long[] ns = new long[n];
        long period = rate > 0 ? 1_000_000_000L / rate : 0;
        long next = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (period > 0) {
                next += period;
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
            }
            long t0 = System.nanoTime();
            ch.write(ByteBuffer.wrap(line));
            ch.force(false);
            ns[i] = System.nanoTime() - t0;
        }
        return ns;
    }

    /** Appends on this thread at {@code rate}/s; another thread forces; returns due-to-durable per line. */
    private static long[] groupCommit(FileChannel ch, byte[] line, int n, int rate) throws Exception {
        long[] due = new long[n];
        long[] durable = new long[n];
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        Object signal = new Object();
        Thread syncer = new Thread(() -> {
            int covered = 0;
            try {
                while (covered < n) {
                    int upTo;
                    synchronized (signal) {
                        while ((upTo = written.get()) == covered) {
                            signal.wait();
                        }
                    }
                    ch.force(false); // covers every line written before it started
                    long now = System.nanoTime();
                    for (int i = covered; i < upTo; i++) {
                        durable[i] = now;
                    }
                    covered = upTo;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "syncer");
        syncer.start();
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < n; i++) {
            due[i] = start + i * period;
            long wait;
            while ((wait = due[i] - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            ch.write(ByteBuffer.wrap(line));
            synchronized (signal) {
                written.incrementAndGet();
                signal.notify();
            }
        }
        syncer.join();
        long[] ns = new long[n];
        for (int i = 0; i < n; i++) {
            ns[i] = durable[i] - due[i];
        }
        return ns;
    }

    private static void report(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.printf("%-40s p50 %.3f ms  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (%d appends)%n", what,
            at(s, 0.50), at(s, 0.90), at(s, 0.99), at(s, 0.999), s[s.length - 1] / 1e6, s.length);
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }
}
