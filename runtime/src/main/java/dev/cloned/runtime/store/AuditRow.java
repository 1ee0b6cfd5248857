package dev.cloned.runtime.store;

import java.time.Instant;

/** An audit entry as mirrored in the store: indexed columns plus the exact JSON line. */
public record AuditRow(long seq, String id, Instant timestamp, String kind, String callId, String toolId,
                       String effect, String outcome, boolean dryRun, String line) {
}
