package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The append-only, hash-chained audit log ({@code .cloned/audit.log}, one JSON line per entry). Appends are group
 * committed by one writer thread: each batch is written and fsync'd under an exclusive file lock, so several
 * processes appending to one workspace extend one chain; sequence numbers, not timestamps, order it. An append
 * returns only once its line is durable; if it cannot be written, it fails (and the caller denies the call).
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 4096;

    private final Path file;
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
    private volatile boolean closed;
    private FileChannel channel;
    private long knownSize = -1;
    private long lastSeq;
    private String lastHash = AuditChain.GENESIS;

    /** Opens the log at {@code file}; entries are mirrored into {@code mirror} when it is not null. */
    public AuditLog(Path file, Store mirror) {
        this.file = file;
        this.mirror = mirror;
        this.writer = new Thread(this::run, "cloned-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Appends an entry and waits until it is durable. Throws {@code AUDIT_UNAVAILABLE} when it cannot be written. */
    public AuditEntry append(ObjectNode entry) {
        try {
            return appendAsync(entry).get(60, TimeUnit.SECONDS);
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

    /** Appends an entry; the future completes once it is durable. */
    public CompletableFuture<AuditEntry> appendAsync(ObjectNode entry) {
        CompletableFuture<AuditEntry> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(unavailable("the audit log is closed", null));
            return f;
        }
        PreparedEntry prepared;
        try {
            prepared = new PreparedEntry(entry);
        } catch (RuntimeException e) {
            f.completeExceptionally(unavailable("entry cannot be rendered: " + e.getMessage(), e));
            return f;
        }
        queue.add(new Pending(prepared, f));
        return f;
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
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("audit writer failed: {}", e.toString());
                batch.forEach(p -> p.future.completeExceptionally(unavailable(e.getMessage(), e)));
            }
            batch.clear();
        }
        closeChannel();
    }

    private void writeBatch(List<Pending> batch) {
        List<AuditEntry> written = new ArrayList<>(batch.size());
        List<AuditRow> rows = new ArrayList<>(batch.size());
        try {
            FileChannel ch = channel();
            try (FileLock ignored = ch.lock()) {
                if (ch.size() != knownSize) {
                    syncTail(ch);
                }
                StringBuilder sb = new StringBuilder(batch.size() * 512);
                for (Pending p : batch) {
                    long seq = ++lastSeq;
                    String h = CanonicalJson.sha256(lastHash + p.entry.hashedText(seq));
                    String line = p.entry.line(seq, lastHash, h);
                    lastHash = h;
                    sb.append(line).append('\n');
                    ObjectNode e = p.entry.entry;
                    written.add(new AuditEntry(seq, e.path("id").asText(), h, line));
                    rows.add(row(seq, e, line));
                }
                ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
                long pos = ch.size();
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
                ch.force(false);
                knownSize = pos;
            }
        } catch (IOException | RuntimeException e) {
            knownSize = -1; // re-read the tail next time: nothing of this batch is acknowledged
            closeChannel();
            ClonedException fail = unavailable("cannot append to " + file + ": " + e.getMessage(), e);
            batch.forEach(p -> p.future.completeExceptionally(fail));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future.complete(written.get(i));
        }
        if (mirror != null) {
            mirrorExecutor.execute(() -> mirrorQuietly(rows));
        }
    }

    private void mirrorQuietly(List<AuditRow> rows) {
        try {
            mirror.mirrorAudit(rows);
        } catch (RuntimeException e) {
            // The log file is the record; the mirror can be rebuilt from it.
            LOG.warn("audit mirror behind the log ({} entries): {}", rows.size(), e.getMessage());
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
        lastHash = t.hash();
        knownSize = ch.size();
    }

    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            knownSize = -1;
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

    private static AuditRow row(long seq, ObjectNode e, String line) {
        return new AuditRow(seq, e.path("id").asText(), Instant.parse(e.path("timestamp").asText()),
            e.path("kind").asText(), e.path("call_id").asText(null), e.path("tool_id").asText(null),
            e.path("policy_decision").path("effect").asText(null), e.path("outcome").asText(null),
            e.path("dry_run").asBoolean(false), line);
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
            mirrorExecutor.shutdown();
            mirrorExecutor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Pending(PreparedEntry entry, CompletableFuture<AuditEntry> future) {
    }
}
