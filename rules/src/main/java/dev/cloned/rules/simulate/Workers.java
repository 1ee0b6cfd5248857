package dev.cloned.rules.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;

/**
 * Runs numbered tasks on this thread and up to {@code processors - 1} helper threads, each taking the next task when
 * it is done. This thread always takes part, so a busy pool only makes it slower. The helpers are long-lived daemon
 * threads: an engine keeps one Drools session per thread that decides (never released), so replays must not decide on
 * a fresh thread each time.
 */
final class Workers {
    private static final int HELPERS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(HELPERS, new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "cloned-replay-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    private Workers() {
    }

    /**
     * Runs {@code task} for 0 to {@code tasks - 1}, taken in that order. After a task fails no new task starts, and the
     * failure of the lowest-numbered task is rethrown: the one a serial run would have met first.
     */
    static void run(int tasks, IntConsumer task) {
        AtomicInteger next = new AtomicInteger();
        AtomicReferenceArray<RuntimeException> failed = new AtomicReferenceArray<>(tasks);
        Runnable worker = () -> {
            for (int k = next.getAndIncrement(); k < tasks; k = next.getAndIncrement()) {
                try {
                    task.accept(k);
                } catch (RuntimeException e) {
                    failed.set(k, e);
                    next.set(tasks);
                }
            }
        };
        int helpers = Math.min(tasks - 1, HELPERS);
        List<CompletableFuture<Void>> running = new ArrayList<>(Math.max(0, helpers));
        for (int h = 0; h < helpers; h++) {
            running.add(CompletableFuture.runAsync(worker, POOL));
        }
        worker.run();
        running.forEach(CompletableFuture::join);
        for (int k = 0; k < tasks; k++) {
            if (failed.get(k) != null) {
                throw failed.get(k);
            }
        }
    }
}
