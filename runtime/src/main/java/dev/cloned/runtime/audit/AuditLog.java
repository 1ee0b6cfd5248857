package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.store.AuditRow;
import dev.cloned.runtime.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The append-only, hash-chained audit log ({@code .cloned/audit.log}, one JSON line per entry). Appends are group
 * committed by one writer thread: each batch is hashed and written under an exclusive file lock, so several
 * processes appending to one workspace extend one chain; sequence numbers, not timestamps, order it. The
 * {@link AuditSyncer} then forces what was written (one fdatasync for every batch written meanwhile) while the writer
 * goes on with the next batch. An append returns only once its line is durable; if it cannot be written or forced,
 * it fails (and the caller denies the call). With {@link AuditSync#WRITTEN} an append returns once its line is
 * written, and the force follows in the background; a write that fails still fails it.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 4096;
    private static final int MAX_RETAINED_BUFFER = 16 << 20;
    private static final int MAX_MIRROR_ROWS = 16_384;
    private static final int MIRROR_COALESCE_ROWS = 128;
    private static final long MIRROR_COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /**
     * With {@code audit.sync: written}, forces start at least this far apart: nobody waits for them, and at 3,000
     * calls/s forcing every batch cost ~0.1 ms at p50 in CPU (docs/performance.md), for a loss window that this
     * bounds anyway: a power loss may lose about the last 2 ms of entries, plus one force's time.
     */
    static final long WRITTEN_FORCE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    /** Orders this JVM's writers of {@link #file} before the inter-process lock. */
    private final java.util.concurrent.locks.ReentrantLock local;
    private final Store mirror;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    /** Mirrors durable entries into the store off the writer thread, in order (one thread). */
    private final java.util.concurrent.ExecutorService mirrorExecutor = java.util.concurrent.Executors
        .newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cloned-audit-mirror");
            t.setDaemon(true);
            return t;
        });
    /**
     * Completes the appenders' futures in order, off the writer thread: waking a blocked caller costs a system call,
     * and doing that for a whole batch on the writer would hold back the next batch's write and fsync.
     */
    private final java.util.concurrent.ExecutorService notifier = java.util.concurrent.Executors
        .newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cloned-audit-notify");
            t.setDaemon(true);
            return t;
        });
    /** Tasks handed to {@link #notifier} and not finished. */
    private final java.util.concurrent.atomic.AtomicInteger notifying = new java.util.concurrent.atomic.AtomicInteger();
    /** Batches waiting to be mirrored, oldest first. */
    private final Queue<List<AuditRow>> mirrorBacklog = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    /** Why this log takes no entries (its index records entries the log no longer holds), or null. */
    private volatile String refused;
    private volatile long lastRecheck = System.nanoTime();
    private FileChannel channel;
    private long knownSize = -1;
    private long lastSeq;
    private byte[] lastHash = AuditChain.GENESIS.getBytes(StandardCharsets.US_ASCII);
    private byte[] nextHash = new byte[64];
    private PreparedEntry.Bytes out = new PreparedEntry.Bytes();
    private final MessageDigest sha = sha256();
    /** Forces written batches off the writer thread; see {@link AuditSyncer}. */
    private final AuditSyncer syncer;
    /** Which opening of {@link #file} the writer writes through: a failed force fails the rest of that opening. */
    private int epoch;
    /** When an append is acknowledged: forced (the default) or written. */
    private final AuditSync sync;
    /** Wraps the force of each opening (tests hold or fail it; else it is the channel's own). */
    private final java.util.function.UnaryOperator<AuditSyncer.Force> forces;

    /** Opens the log at {@code file}; entries are mirrored into {@code mirror} when it is not null. */
    public AuditLog(Path file, Store mirror) {
        this(file, mirror, AuditSync.FORCED);
    }

    /** Opens the log at {@code file}, acknowledging appends as {@code sync} says. */
    public AuditLog(Path file, Store mirror, AuditSync sync) {
        this(file, mirror, sync, java.util.function.UnaryOperator.identity());
    }

    AuditLog(Path file, Store mirror, AuditSync sync, java.util.function.UnaryOperator<AuditSyncer.Force> forces) {
        this.sync = java.util.Objects.requireNonNull(sync, "sync");
        this.syncer = new AuditSyncer(sync == AuditSync.WRITTEN ? WRITTEN_FORCE_INTERVAL_NANOS : 0);
        this.forces = forces;
        this.file = file;
        this.local = dev.cloned.runtime.files.AtomicFiles.localLock(file);
        this.mirror = mirror;
        Optional<AuditRow> last = mirror == null ? Optional.empty() : mirror.lastAudit();
        this.refused = AuditIndex.mismatch(file, last).orElse(null);
        if (refused != null) {
            LOG.error("audit log refused, every call will be denied: {}", refused);
        } else if (mirror != null) { // first of the mirror's tasks: a flush waits for the index to have caught up
            long from = last.map(AuditRow::end).orElse(0L);
            mirrorExecutor.execute(() -> AuditIndex.catchUp(file, mirror, from));
        }
        this.writer = new Thread(this::run, "cloned-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Appends an entry and waits until it is durable. Throws {@code AUDIT_UNAVAILABLE} when it cannot be written. */
    public AuditEntry append(ObjectNode entry) {
        return awaitDurable(appendAsync(entry));
    }

    /**
     * Waits for an entry appended with {@code appendAsync}; throws {@code AUDIT_UNAVAILABLE} when it could not be
     * written.
     */
    public static AuditEntry awaitDurable(CompletableFuture<AuditEntry> appended) {
        try {
            return appended.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the audit log", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof ClonedException ce ? ce : unavailable(String.valueOf(c), c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw unavailable("timed out waiting for the audit log", e);
        }
    }

    /** Appends a call's entry and waits until it is durable; see {@link #append(ObjectNode)}. */
    public AuditEntry append(CallEntry entry) {
        return awaitDurable(appendAsync(entry));
    }

    /** Appends a call's entry; the future completes once it is durable. */
    public CompletableFuture<AuditEntry> appendAsync(CallEntry entry) {
        return enqueue(entry::prepare);
    }

    /** Appends an entry; the future completes once it is durable. */
    public CompletableFuture<AuditEntry> appendAsync(ObjectNode entry) {
        return enqueue(() -> new PreparedEntry(entry));
    }

    private CompletableFuture<AuditEntry> enqueue(java.util.function.Supplier<PreparedEntry> render) {
        CompletableFuture<AuditEntry> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(unavailable("the audit log is closed", null));
            return f;
        }
        String why = refused == null ? null : stillRefused();
        if (why != null) {
            f.completeExceptionally(new ClonedException(ErrorCode.AUDIT_UNAVAILABLE, "audit log refused: " + why,
                AuditIndex.MISMATCH_HINT));
            return f;
        }
        PreparedEntry prepared;
        try {
            prepared = render.get();
        } catch (RuntimeException e) {
            f.completeExceptionally(unavailable("entry cannot be rendered: " + e.getMessage(), e));
            return f;
        }
        queue.add(new Pending(prepared, f));
        return f;
    }

    /**
     * Completes once every entry appended before this call is settled (durable, or failed) and mirrored into the
     * store: readers of the store call it first to see their own writes.
     */
    public CompletableFuture<Void> flush() {
        CompletableFuture<AuditEntry> marker = new CompletableFuture<>();
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        queue.add(new Pending(null, marker));
        return marker.thenCompose(x -> mirror == null ? CompletableFuture.completedFuture(null)
            : CompletableFuture.runAsync(() -> { }, mirrorExecutor));
    }

    /**
     * Whether this log must still refuse entries. Another process (e.g. {@code cloned audit reindex} next to a serving
     * gateway) may have accepted the log since: the index is looked at again, at most once a second while refused.
     */
    private String stillRefused() {
        long now = System.nanoTime();
        if (mirror == null || now - lastRecheck < RECHECK_NANOS || !mirrorBacklog.isEmpty()) {
            return refused; // rows still to index could be the very entries that were cut
        }
        lastRecheck = now;
        String why = AuditIndex.mismatch(file, mirror).orElse(null);
        if (why == null) {
            LOG.info("audit log {} matches its index again (reindexed elsewhere); taking entries", file);
            refused = null;
        }
        return refused;
    }

    /**
     * Why this log refuses entries, or empty: its index records an entry the log no longer holds where it was
     * written (lines removed from the end; the log deleted, replaced or restored from an older copy). Every append
     * fails until {@link #reindex()}.
     */
    public Optional<String> refusal() {
        return Optional.ofNullable(refused);
    }

    /** What {@link #reindex()} replaced: the refusal it cleared (null when there was none) and the entries indexed. */
    public record Reindexed(String refusal, int indexed) {
    }

    /**
     * Accepts the log as it is now: drops the index, indexes the log from its start and takes entries again. For an
     * operator who restored an older log on purpose; the caller records that it happened (an entry in this log).
     */
    public Reindexed reindex() {
        if (mirror == null) {
            throw new IllegalStateException("reindex needs the store the log is indexed in");
        }
        awaitFlushed();
        try {
            String was = refused;
            int n = CompletableFuture.supplyAsync(() -> {
                try {
                    return AuditIndex.rebuild(file, mirror);
                } catch (IOException e) {
                    throw unavailable("cannot read " + file + " to index it: " + e.getMessage(), e);
                }
            }, mirrorExecutor).get(10, TimeUnit.MINUTES);
            refused = null;
            return new Reindexed(was, n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while indexing " + file, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable c = e instanceof ExecutionException ? e.getCause() : e;
            throw c instanceof ClonedException ce ? ce : unavailable("cannot index " + file + ": " + c, c);
        }
    }

    /** {@link #flush()} and wait, for blocking readers (worker threads, the CLI). */
    public void awaitFlushed() {
        try {
            flush().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("audit flush did not complete: {}", e.toString());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                List<Pending> entries = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    if (p.entry != null) {
                        entries.add(p);
                    }
                }
                if (!entries.isEmpty()) {
                    writeBatch(entries);
                }
                List<Pending> markers = null;
                for (Pending p : batch) {
                    if (p.entry == null) {
                        (markers == null ? markers = new ArrayList<>(1) : markers).add(p);
                    }
                }
                if (markers != null) { // flush markers: everything before them is settled once the notifier gets here
                    List<Pending> settled = markers;
                    Runnable complete = () -> settleLater(() -> settled.forEach(p -> p.future.complete(null)));
                    syncer.submit(new AuditSyncer.Written(null, epoch, complete, null));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("audit writer failed: {}", e.toString());
                List<Pending> failed = List.copyOf(batch);
                settleLater(() -> failed.forEach(p -> p.future.completeExceptionally(unavailable(e.getMessage(), e))));
            }
            batch.clear();
        }
        syncer.await();
        closeChannel();
    }

    /** Completes futures on the notifier, in the order handed over. */
    private void settleLater(Runnable completions) {
        notifying.incrementAndGet();
        notifier.execute(() -> {
            try {
                completions.run();
            } finally {
                notifying.decrementAndGet();
            }
        });
    }

    private void writeBatch(List<Pending> batch) {
        int n = batch.size();
        AuditEntry[] written = new AuditEntry[n];
        int[] ends = new int[n];
        long start;
        FileChannel ch;
        int writtenIn;
        local.lock(); // another AuditLog of this JVM on the same file waits here; the FileLock orders processes
        try {
            if (syncer.failed(epoch)) { // a force of this opening failed: reopen, and take the tail as the file has it
                syncer.await();
                closeChannel();
            }
            ch = channel();
            writtenIn = epoch;
            try (FileLock ignored = ch.lock()) {
                long size = ch.size();
                if (knownSize >= 0 && size < knownSize) { // appends only ever grow it: lines were cut while open
                    lastRecheck = System.nanoTime(); // by the next look, what this log acknowledged is indexed
                    refused = file + " shrank from " + knownSize + " to " + size + " bytes while open: lines were "
                        + "removed from the end, or the log was replaced";
                    throw new IOException(refused);
                }
                if (size != knownSize) {
                    syncTail(ch);
                }
                out.size = 0;
                for (int i = 0; i < n; i++) {
                    PreparedEntry p = batch.get(i).entry;
                    long seq = ++lastSeq;
                    p.hash(sha, lastHash, seq, nextHash);
                    p.writeLine(out, seq, lastHash, nextHash);
                    ends[i] = out.size;
                    byte[] swap = lastHash;
                    lastHash = nextHash;
                    nextHash = swap;
                    written[i] = new AuditEntry(seq, p.id, new String(lastHash, StandardCharsets.US_ASCII));
                }
                ByteBuffer buf = ByteBuffer.wrap(out.data, 0, out.size);
                long pos = ch.size();
                start = pos;
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
                knownSize = pos; // written, not yet durable: the syncer forces it
            }
        } catch (IOException | RuntimeException e) {
            syncer.await(); // batches written before this one are forced (or failed) before the file is closed
            sha.reset(); // a hash cut short must not leak into the next batch's
            knownSize = -1; // re-read the tail next time: nothing of this batch is acknowledged
            closeChannel();
            ClonedException fail = unavailable("cannot append to " + file + ": " + e.getMessage(), e);
            LOG.error("audit log: {} entries not written: {}", n, e.toString());
            settleLater(() -> batch.forEach(p -> p.future.completeExceptionally(fail)));
            return;
        } finally {
            local.unlock();
        }
        List<AuditRow> rows = null;
        if (mirror != null) {
            rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int from = i == 0 ? 0 : ends[i - 1];
                rows.add(AuditIndex.row(written[i].seq(), batch.get(i).entry, start + from, ends[i] - from - 1));
            }
        }
        List<AuditRow> indexed = rows;
        Runnable completions = () -> {
            for (int i = 0; i < n; i++) {
                batch.get(i).future.complete(written[i]);
            }
        };
        boolean onWrite = sync == AuditSync.WRITTEN;
        if (onWrite && queue.isEmpty() && notifying.get() == 0) {
            // nothing waits to be written and nothing is being acknowledged: the writer's time is free, and handing
            // the completions on would cost the call one more thread wake-up (docs/performance.md)
            completions.run();
        } else if (onWrite) {
            settleLater(completions);
        }
        Runnable durable = () -> {
            if (indexed != null) { // only forced entries are indexed, so readers see only those
                mirrorBacklog.add(indexed);
                mirrorExecutor.execute(this::drainMirror);
            }
            if (!onWrite) {
                settleLater(completions); // after the mirror is queued, so a flush sees it mirrored
            }
        };
        syncer.submit(new AuditSyncer.Written(forces.apply(() -> ch.force(false)), writtenIn, durable, e -> {
            ClonedException fail = unavailable("cannot force " + file + " to disk: " + e.getMessage(), e);
            if (onWrite) { // already acknowledged: the calls went on, and a crash of the machine may lose these lines
                LOG.error("audit log: {} acknowledged entries (seq {}-{}) may not be on disk: {}", n, written[0].seq(),
                    written[n - 1].seq(), e.toString());
                return;
            }
            LOG.error("audit log: {} entries written but not durable: {}", n, e.toString());
            settleLater(() -> batch.forEach(p -> p.future.completeExceptionally(fail)));
        }));
        if (out.data.length > MAX_RETAINED_BUFFER) {
            out = new PreparedEntry.Bytes();
        }
    }

    /**
     * Mirrors every batch written so far in one store transaction (batches queue up while the store is busy). A
     * small backlog waits {@link #MIRROR_COALESCE_NANOS} for more first: under load the writer's batches are small,
     * and a store transaction per batch cost more than its rows (each commit writes its pages to the WAL again).
     * The index may lag the log; readers call {@link #flush()} first, which waits for it.
     */
    private void drainMirror() {
        List<AuditRow> rows = new ArrayList<>();
        takeMirrorRows(rows);
        if (rows.isEmpty()) {
            return;
        }
        if (rows.size() < MIRROR_COALESCE_ROWS && !closed) {
            java.util.concurrent.locks.LockSupport.parkNanos(MIRROR_COALESCE_NANOS);
            takeMirrorRows(rows);
        }
        try {
            mirror.mirrorAudit(rows);
        } catch (RuntimeException e) {
            // The log file is the record; the mirror can be rebuilt from it.
            LOG.warn("audit mirror behind the log ({} entries): {}", rows.size(), e.getMessage());
        }
    }

    /** Moves queued batches into {@code rows}, up to about {@link #MAX_MIRROR_ROWS}; a batch is never split or lost. */
    private void takeMirrorRows(List<AuditRow> rows) {
        List<AuditRow> next;
        while (rows.size() < MAX_MIRROR_ROWS && (next = mirrorBacklog.poll()) != null) {
            rows.addAll(next);
        }
    }

    /** Reads the last complete line (after another process wrote, or on open), repairing a torn tail from a crash. */
    private void syncTail(FileChannel ch) throws IOException {
        AuditTail.Tail t = AuditTail.read(ch);
        if (t.tornBytes() > 0) {
            LOG.warn("audit log {} ended with {} bytes of an unfinished entry (crash?); truncating them",
                file, t.tornBytes());
            ch.truncate(t.endOfLastLine());
            ch.force(true);
        }
        lastSeq = t.seq();
        lastHash = t.hash().getBytes(StandardCharsets.US_ASCII);
        knownSize = ch.size();
    }

    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            knownSize = -1;
            epoch++;
        }
        return channel;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing audit log: {}", e.toString());
            }
            channel = null;
        }
    }


    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static ClonedException unavailable(String msg, Throwable cause) {
        return new ClonedException(ErrorCode.AUDIT_UNAVAILABLE, "audit log unavailable: " + msg,
            "the call was denied because it could not be recorded; check .cloned/audit.log and disk space", cause);
    }

    /** Stops accepting entries, writes what is queued, and closes the file. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(30_000);
            syncer.close();
            notifier.shutdown();
            notifier.awaitTermination(30, TimeUnit.SECONDS);
            mirrorExecutor.shutdown();
            mirrorExecutor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Pending(PreparedEntry entry, CompletableFuture<AuditEntry> future) {
    }
}
