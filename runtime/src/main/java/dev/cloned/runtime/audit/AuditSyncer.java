package dev.cloned.runtime.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The second stage of the audit log's group commit: forces (fdatasync) what the writer has written, then settles it.
 * The writer hashes and writes the next batch while this thread waits for the disk, and one force covers every batch
 * written before it started, so the disk's flush no longer holds back the serial part (hashing the chain). An entry
 * is acknowledged only after a force that began after its bytes were written.
 *
 * <p>A failed force fails its batches and every later batch written through the same open file ({@code epoch}): the
 * kernel may have dropped those pages, so nothing after them may be acknowledged. The writer sees
 * {@link #failed(int)}, waits for this stage to drain, and reopens the file, re-reading its tail.
 */
final class AuditSyncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditSyncer.class);

    /** What forces an opening of the log to disk ({@code FileChannel.force(false)} in the log). */
    interface Force {
        void force() throws IOException;
    }

    /**
     * A batch the writer wrote through opening {@code epoch} of the file, in write order. {@code file} is null for
     * flush markers, which only keep their place in the order.
     */
    record Written(Force file, int epoch, Runnable onDurable, Consumer<Throwable> onFailure) {
    }

    private final Queue<Written> pending = new ConcurrentLinkedQueue<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cloned-audit-sync");
        t.setDaemon(true);
        return t;
    });
    /** The newest epoch a force failed in; its batches and all later ones of that epoch are failed. */
    private volatile int failedEpoch = -1;
    /** The least time from one force's start to the next one's; 0: force as soon as something is written. */
    private final long minIntervalNanos;
    /** Whether a drain is queued or waiting and has not taken {@link #pending} yet. */
    private final java.util.concurrent.atomic.AtomicBoolean drainQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private long lastForce = System.nanoTime() - TimeUnit.DAYS.toNanos(1); // this stage's thread only

    /** Forces as soon as something is written (a caller waits for it: {@code audit.sync: forced}). */
    AuditSyncer() {
        this(0);
    }

    /**
     * Starts forces at least {@code minIntervalNanos} apart: for {@code audit.sync: written}, where nobody waits for a
     * force, so forcing after every small batch would only spend CPU (an fdatasync costs ~0.1 ms of system time on
     * this machine kind) for a loss window shorter than the interval.
     */
    AuditSyncer(long minIntervalNanos) {
        this.minIntervalNanos = minIntervalNanos;
    }

    /** Queues a written batch (or a marker) to be forced and settled after everything queued before it. */
    void submit(Written w) {
        pending.add(w);
        if (drainQueued.compareAndSet(false, true)) { // else a drain that has not polled yet takes it: no wake-up
            thread.execute(this::drain);
        }
    }

    /** Whether a force of this epoch's file failed: the writer must reopen before it writes again. */
    boolean failed(int epoch) {
        return failedEpoch >= epoch;
    }

    /** Waits until everything submitted so far is settled (forced, or failed). */
    void await() {
        try {
            thread.submit(() -> { }).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("audit sync did not drain: {}", e.toString());
        }
    }

    /** Forces each file once for everything queued so far, then settles it in order. */
    private void drain() {
        if (minIntervalNanos > 0) {
            long wait = lastForce + minIntervalNanos - System.nanoTime();
            if (wait > 0) { // what is written meanwhile joins this force, without waking this thread
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
        drainQueued.set(false); // before the poll: what is submitted after it queues the next drain
        List<Written> batch = new ArrayList<>();
        Written w;
        while ((w = pending.poll()) != null) {
            batch.add(w);
        }
        if (batch.isEmpty()) {
            return; // an earlier drain took them
        }
        Throwable cause = null; // of a force that failed in this drain
        int forced = -1;
        for (Written x : batch) { // epochs only grow: one force per opening covers all its batches written so far
            if (x.file() == null || x.epoch() == forced || x.epoch() <= failedEpoch) {
                continue;
            }
            forced = x.epoch();
            lastForce = System.nanoTime();
            try {
                x.file().force();
            } catch (IOException | RuntimeException e) {
                cause = e;
                failedEpoch = Math.max(failedEpoch, x.epoch());
                LOG.error("audit log: forcing written entries to disk failed: {}", e.toString());
            }
        }
        for (Written x : batch) {
            if (x.file() == null || x.epoch() > failedEpoch) {
                x.onDurable().run();
            } else {
                x.onFailure().accept(cause != null ? cause
                    : new IOException("an earlier force of this file failed; entries after it are not durable"));
            }
        }
    }

    /** Settles what is queued, then stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
