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
 * group committed), over a run of N calls from T threads, reported per tenth of the run so a slowdown as the audit
 * grows is visible. Usage: {@code GovernedCallsBench [calls=1000000] [threads=32] [dir] [inflight]}.
 *
 * <p>Without {@code inflight}, {@code threads} callers each make blocking calls back to back. With it, {@code
 * inflight} calls are kept in flight through {@code GovernedCalls.callAsync} on a pool of {@code threads} threads:
 * each finished call starts the next one on the thread it finished on (as the HTTP gateway's workers do).
 */
public final class GovernedCallsBench {
    private GovernedCallsBench() {
    }

    public static void main(String[] args) throws Exception {
        long calls = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path root = args.length > 2 && !args[2].equals("-") ? Files.createDirectories(Path.of(args[2]))
            : Files.createTempDirectory("cloned-bench-");
        int inflight = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        JsonNode input = CanonicalJson.MAPPER.readTree("{\"text\":\"benchmark\"}");
        try (ClonedGateway gw = ClonedGateway.open(ws, Clock.systemUTC())) {
            warmUp(gw, input);
            long base = Files.size(ws.auditLog());
            AtomicLong next = new AtomicLong();
            AtomicLongArray doneAt = new AtomicLongArray(10);
            long tenth = calls / 10;
            AtomicLong failures = new AtomicLong();
            long start;
            long end;
            if (inflight > 0) {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                CountDownLatch done = new CountDownLatch(inflight);
                start = System.nanoTime();
                for (int k = 0; k < inflight; k++) {
                    pool.execute(() -> chain(gw, input, pool, next, calls, tenth, doneAt, failures, done));
                }
                done.await();
                end = System.nanoTime();
                pool.shutdown();
            } else {
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
                            CallResult r = gw.calls().call(envelope(input));
                            count(r, i, tenth, doneAt, failures);
                        }
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
            }
            System.out.printf("governed calls: %d from %s in %.1f s = %.0f calls/s (failures: %d)%n", calls,
                inflight > 0 ? inflight + " in flight on " + threads + " threads" : threads + " threads",
                (end - start) / 1e9, calls / ((end - start) / 1e9), failures.get());
            long prev = start;
            for (int k = 0; k < 10; k++) {
                long at = doneAt.get(k) == 0 ? end : doneAt.get(k);
                System.out.printf("  tenth %2d: %.0f calls/s%n", k + 1, tenth / ((at - prev) / 1e9));
                prev = at;
            }
            System.out.printf("audit log grew by %.1f MB%n", (Files.size(ws.auditLog()) - base) / 1e6);
        }
        long t0 = System.nanoTime();
        var v = AuditVerifier.verify(ws.auditLog());
        System.out.printf("audit verify: ok=%s entries=%d in %.1f s%n", v.ok(), v.entries(), (System.nanoTime() - t0) / 1e9);
    }

    /** One of the in-flight chains: starts a call and, when it is done, the next one on the same thread. */
    private static void chain(ClonedGateway gw, JsonNode input, ExecutorService pool, AtomicLong next, long calls,
                              long tenth, AtomicLongArray doneAt, AtomicLong failures, CountDownLatch done) {
        long i = next.getAndIncrement();
        if (i >= calls) {
            done.countDown();
            return;
        }
        gw.calls().callAsync(envelope(input), pool).whenComplete((r, err) -> {
            if (err != null) {
                failures.incrementAndGet();
            } else {
                count(r, i, tenth, doneAt, failures);
            }
            chain(gw, input, pool, next, calls, tenth, doneAt, failures, done);
        });
    }

    private static ToolCallEnvelope envelope(JsonNode input) {
        return new ToolCallEnvelope("cloned.internal.echo@v1", input, "bench", false, null);
    }

    private static void count(CallResult r, long i, long tenth, AtomicLongArray doneAt, AtomicLong failures) {
        if (r.status() != CallResult.Status.SUCCEEDED) {
            failures.incrementAndGet();
        }
        if ((i + 1) % tenth == 0) {
            doneAt.set((int) ((i + 1) / tenth) - 1, System.nanoTime());
        }
    }

    private static void warmUp(ClonedGateway gw, JsonNode input) {
        for (int i = 0; i < 20_000; i++) {
            gw.calls().call(new ToolCallEnvelope("cloned.internal.echo@v1", input, "warmup", false, null));
        }
    }
}
