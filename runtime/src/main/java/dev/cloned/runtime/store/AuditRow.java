package dev.cloned.runtime.store;

import java.time.Instant;

/**
 * An audit entry as indexed in the store: the columns queries filter on, plus where its line is in {@code audit.log}
 * ({@code pos}, the byte offset of its first byte, and {@code len}, its length without the newline). The store never
 * holds the line itself: the log is the record, read back with {@code AuditLines}. {@code at} is the entry's
 * timestamp exactly as written in the line (ISO-8601), kept as text so indexing never re-formats it.
 */
public record AuditRow(long seq, String id, String at, String kind, String callId, String toolId,
                       String effect, String outcome, boolean dryRun, long pos, int len) {
    /** The entry's timestamp. */
    public Instant timestamp() {
        return Instant.parse(at);
    }

    /** The offset just past this entry's line (and its newline) in the log. */
    public long end() {
        return pos + len + 1;
    }
}
