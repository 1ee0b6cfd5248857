package dev.cloned.runtime.store;

import java.time.Instant;

/**
 * An audit entry as mirrored in the store: indexed columns plus the exact JSON line. {@code at} is the entry's
 * timestamp exactly as written in the line (ISO-8601), kept as text so mirroring never re-formats it.
 */
public record AuditRow(long seq, String id, String at, String kind, String callId, String toolId,
                       String effect, String outcome, boolean dryRun, String line) {
    /** The entry's timestamp. */
    public Instant timestamp() {
        return Instant.parse(at);
    }
}
