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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Governed in-process calls per second with the durable audit on (two fsync'd, hash-chained entries per call,
 * group committed), over a run of N calls from T threads, reported per tenth of the run so a slowdown as the audit
 * grows is visible. Usage: {@code GovernedCallsBench [calls=1000000] [threads=32] [dir]}.
 */
public final class GovernedCallsBench {
    private GovernedCallsBench() {
    }

    public static void main(String[] args) throws Exception {
        long calls = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path root = args.length > 2 ? Files.createDirectories(Path.of(args[2])) : Files.createTempDirectory("cloned-bench-");
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        JsonNode input = CanonicalJson.MAPPER.readTree("{\"text\":\"benchmark\"}");
        try (ClonedGateway gw = ClonedGateway.open(ws, Clock.systemUTC())) {
            warmUp(gw, input);
            long base = Files.size(ws.auditLog());
            AtomicLong next = new AtomicLong();
            AtomicLongArray doneAt = new AtomicLongArray(10);
            long tenth = calls / 10;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            AtomicLong failures = new AtomicLong();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long i;
                    while ((i = next.getAndIncrement()) < calls) {
                        CallResult r = gw.calls().call(new ToolCallEnvelope("cloned.internal.echo@v1", input,
                            "bench", false, null));
                        if (r.status() != CallResult.Status.SUCCEEDED) {
                            failures.incrementAndGet();
                        }
                        if ((i + 1) % tenth == 0) {
                            doneAt.set((int) ((i + 1) / tenth) - 1, System.nanoTime());
                        }
                    }
                });
                th.start();
                ts.add(th);
            }
            long start = System.nanoTime();
            go.countDown();
            for (Thread th : ts) {
                th.join();
            }
            long end = System.nanoTime();
            System.out.printf("governed calls: %d from %d threads in %.1f s = %.0f calls/s (failures: %d)%n", calls,
                threads, (end - start) / 1e9, calls / ((end - start) / 1e9), failures.get());
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

    private static void warmUp(ClonedGateway gw, JsonNode input) {
        for (int i = 0; i < 20_000; i++) {
            gw.calls().call(new ToolCallEnvelope("cloned.internal.echo@v1", input, "warmup", false, null));
        }
    }
}
