package dev.cloned.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.audit.AuditVerifier;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Governed in-process calls per second with the durable audit on (two fsync'd, hash-chained entries per call,
 * group committed), over a run of N calls, reported per tenth of the run so a slowdown as the audit grows is visible.
 * Usage: {@code GovernedCallsBench [calls=1000000] [threads=32] [dir|-] [inflight=0] [warmup=200000]}.
 *
 * <p>Without {@code inflight}, {@code threads} callers each make blocking calls back to back. With it, {@code
 * inflight} calls are kept in flight through {@code GovernedCalls.callAsync} on a pool of {@code threads} threads:
 * each finished call starts the next one on the thread it finished on (as the HTTP gateway does). The warm-up runs
 * the same way on the same gateway first, so the measured run starts with the path compiled.
 */
public final class GovernedCallsBench {
    private GovernedCallsBench() {
    }

    public static void main(String[] args) throws Exception {
        long calls = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        boolean made = args.length <= 2 || args[2].equals("-");
        Path root = made ? Files.createTempDirectory("cloned-bench-") : Files.createDirectories(Path.of(args[2]));
        int inflight = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        long warmup = args.length > 4 ? Long.parseLong(args[4]) : 200_000;
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        JsonNode input = CanonicalJson.MAPPER.readTree("{\"text\":\"benchmark\"}");
        try (ClonedGateway gw = ClonedGateway.open(ws, Clock.systemUTC())) {
            if (warmup > 0) {
                Run w = new Run(gw, input, warmup).execute(threads, inflight);
                System.out.printf("warm-up: %d calls, %.0f calls/s%n", warmup, w.rate());
            }
            long base = Files.size(ws.auditLog());
            Run r = new Run(gw, input, calls).execute(threads, inflight);
            System.out.printf("governed calls: %d from %s in %.1f s = %.0f calls/s (failures: %d)%n", calls,
                inflight > 0 ? inflight + " in flight on " + threads + " threads" : threads + " threads",
                (r.end - r.start) / 1e9, r.rate(), r.failures.get());
            long prev = r.start;
            for (int k = 0; k < 10; k++) {
                long at = r.doneAt.get(k) == 0 ? r.end : r.doneAt.get(k);
                System.out.printf("  tenth %2d: %.0f calls/s%n", k + 1, r.tenth / ((at - prev) / 1e9));
                prev = at;
            }
            System.out.printf("audit log grew by %.1f MB%n", (Files.size(ws.auditLog()) - base) / 1e6);
            System.out.printf("allocated: %.1f KB per call (every thread)%n", r.allocated / 1024.0 / calls);
        }
        long t0 = System.nanoTime();
        var v = AuditVerifier.verify(ws.auditLog());
        System.out.printf("audit verify: ok=%s entries=%d in %.1f s%n", v.ok(), v.entries(), (System.nanoTime() - t0) / 1e9);
        if (made) { // a 1 M run leaves ~3.4 GB: left behind, a few runs fill the disk (and slow this VM's disk down)
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Bytes allocated so far by every live thread. */
    private static long allocatedBytes() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    /** One run of {@code calls} calls, timed, with the time each tenth of them was done. */
    private static final class Run {
        private final ClonedGateway gw;
        private final ToolCallEnvelope envelope;
        private final long calls;
        private final long tenth;
        private final AtomicLong next = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLongArray doneAt = new AtomicLongArray(10);
        private final AtomicLong exitedAllocated = new AtomicLong();
        private long start;
        private long end;
        /** Bytes allocated during the run by every thread: the gateway's, and the callers' (counted before they end). */
        private long allocated;

        Run(ClonedGateway gw, JsonNode input, long calls) {
            this.gw = gw;
            this.envelope = new ToolCallEnvelope("cloned.internal.echo@v1", input, "bench", false, null);
            this.calls = calls;
            this.tenth = Math.max(1, calls / 10);
        }

        double rate() {
            return calls / ((end - start) / 1e9);
        }

        Run execute(int threads, int inflight) throws InterruptedException {
            long before = allocatedBytes();
            if (inflight > 0) {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                CountDownLatch done = new CountDownLatch(inflight);
                start = System.nanoTime();
                for (int k = 0; k < inflight; k++) {
                    pool.execute(() -> chain(pool, done));
                }
                done.await();
                end = System.nanoTime();
                allocated = allocatedBytes() - before; // the pool's threads are still alive here
                pool.shutdown();
                return this;
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long i;
                    while ((i = next.getAndIncrement()) < calls) {
                        count(gw.calls().call(envelope), i);
                    }
                    exitedAllocated.addAndGet(((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                        .getThreadMXBean()).getCurrentThreadAllocatedBytes());
                });
                th.start();
                ts.add(th);
            }
            start = System.nanoTime();
            go.countDown();
            for (Thread th : ts) {
                th.join();
            }
            end = System.nanoTime();
            allocated = allocatedBytes() + exitedAllocated.get() - before;
            return this;
        }

        /** One of the in-flight chains: starts a call and, when it is done, the next one on the same thread. */
        private void chain(ExecutorService pool, CountDownLatch done) {
            long i = next.getAndIncrement();
            if (i >= calls) {
                done.countDown();
                return;
            }
            gw.calls().callAsync(envelope, pool).whenComplete((r, err) -> {
                if (err != null) {
                    failures.incrementAndGet();
                } else {
                    count(r, i);
                }
                chain(pool, done);
            });
        }

        private void count(CallResult r, long i) {
            if (r.status() != CallResult.Status.SUCCEEDED) {
                failures.incrementAndGet();
            }
            if ((i + 1) % tenth == 0 && (i + 1) / tenth <= 10) {
                doneAt.set((int) ((i + 1) / tenth) - 1, System.nanoTime());
            }
        }
    }
}
