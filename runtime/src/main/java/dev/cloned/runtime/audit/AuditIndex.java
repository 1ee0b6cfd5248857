package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.store.AuditRow;
import dev.cloned.runtime.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's audit index: per entry the columns queries filter on and where its line is in {@code audit.log}. The
 * writer indexes what it appends; when a log is opened, {@link #catchUp} indexes whatever the store is missing (a
 * workspace from before the index, an index write that failed, another process that stopped before indexing), so the
 * index always converges on the log, which is the record.
 */
final class AuditIndex {
    private static final Logger LOG = LoggerFactory.getLogger(AuditIndex.class);
    private static final int CHUNK = 8192;

    private AuditIndex() {
    }

    static AuditRow row(long seq, PreparedEntry e, long pos, int len) {
        return new AuditRow(seq, e.id, e.timestamp, e.kind, e.callId, e.toolId, e.effect, e.outcome, e.dryRun, pos, len);
    }

    static AuditRow row(JsonNode entry, long pos, int len) {
        return new AuditRow(entry.path("seq").asLong(), entry.path("id").asText(), entry.path("timestamp").asText(),
            entry.path("kind").asText(), entry.path("call_id").asText(null), entry.path("tool_id").asText(null),
            entry.path("policy_decision").path("effect").asText(null), entry.path("outcome").asText(null),
            entry.path("dry_run").asBoolean(false), pos, len);
    }

    /**
     * What is wrong when {@code log} no longer holds the last entry the index recorded, or empty. Entries are indexed
     * only after they are durable in the log, so the index can be behind the log but never ahead of it: an indexed
     * entry that is not where the index says means lines were removed from the end, or the log was deleted, replaced
     * or restored from an older copy. That is the one tampering the chain alone cannot show (a shorter chain still
     * verifies), so it is reported, never silently re-indexed.
     */
    static Optional<String> mismatch(Path log, Store store) {
        return mismatch(log, store.lastAudit());
    }

    /** {@link #mismatch(Path, Store)} for the index's last row, already read. */
    static Optional<String> mismatch(Path log, Optional<AuditRow> last) {
        if (last.isEmpty()) {
            return Optional.empty();
        }
        AuditRow r = last.get();
        if (!Files.exists(log)) {
            return Optional.of(log + " is missing, but the index records entries up to seq " + r.seq() + " (the last, " + r.id()
                + ", at " + r.at() + ")");
        }
        return at(log, r) ? Optional.empty() : Optional.of(log + " does not hold entry " + r.seq() + " (" + r.id()
            + ", at " + r.at() + ") at byte " + r.pos() + " where the index recorded it: lines were removed from the "
            + "end, or the log was replaced");
    }

    /** What to do about a {@link #mismatch}. */
    static final String MISMATCH_HINT = "restore audit.log from a backup; if the log as it is now is the one to keep "
        + "(e.g. you restored an older backup on purpose), run `cloned audit reindex`, which records that in the log";

    /**
     * Indexes the complete lines of {@code log} from byte {@code from}: the end of the last indexed entry, which the
     * caller found in place ({@link #mismatch}). Rows another process indexed meanwhile are skipped by the store. Never
     * throws: a log it cannot read is logged and left for the next open.
     */
    static void catchUp(Path log, Store store, long from) {
        if (!Files.exists(log)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            if (from < ch.size()) {
                int n = index(ch, from, store);
                if (n > 0) {
                    LOG.info("indexed {} audit entries from {}", n, log);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("audit index not brought up to date with {}: {}", log, e.toString());
        }
    }

    /** Drops the index and indexes {@code log} from its start (which may be missing: the index is then empty). */
    static int rebuild(Path log, Store store) throws IOException {
        store.clearAudit();
        if (!Files.exists(log)) {
            return 0;
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            return index(ch, 0, store);
        }
    }

    /** Whether {@code row}'s line is where the row says, with its seq and id. */
    private static boolean at(Path log, AuditRow row) {
        String line;
        try {
            line = AuditLines.read(log, List.of(row)).get(0);
        } catch (ClonedException notThere) {
            return false;
        }
        return line.contains("\"id\":\"" + row.id() + "\"") && line.contains("\"seq\":" + row.seq() + ",");
    }

    private static int index(FileChannel ch, long from, Store store) throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch.position(from)), 1 << 16);
        ByteArrayOutputStream line = new ByteArrayOutputStream(2048);
        List<AuditRow> rows = new ArrayList<>(CHUNK);
        long pos = from;
        long lineStart = from;
        int total = 0;
        int b;
        while ((b = in.read()) >= 0) {
            pos++;
            if (b != '\n') {
                line.write(b);
                continue;
            }
            JsonNode entry = CanonicalJson.MAPPER.readTree(line.toByteArray());
            rows.add(row(entry, lineStart, line.size()));
            line.reset();
            lineStart = pos;
            if (rows.size() == CHUNK) {
                store.mirrorAudit(rows);
                total += rows.size();
                rows.clear();
            }
        }
        store.mirrorAudit(rows); // a last line without its newline is unfinished (or torn): not indexed
        return total + rows.size();
    }
}
