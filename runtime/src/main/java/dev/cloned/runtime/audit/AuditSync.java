package dev.cloned.runtime.audit;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.util.Arrays;
import java.util.Locale;

/**
 * When an appended entry counts as recorded, so that the call it decides may go on ({@code audit.sync} in
 * {@code .cloned/config.yaml}). Either way the entry is written before the call dispatches (a write that fails denies
 * the call) and forced by the same group commit; the index mirrors only forced entries, and a reader in the process
 * ({@link AuditLog#flush()}) waits for the force.
 */
public enum AuditSync {
    /** Once a force (fdatasync) that began after its line was written has returned: it survives a power loss. */
    FORCED,
    /**
     * Once its line is written to the operating system; the force follows in the background, at once. It survives a
     * crash of the process (kill -9): the kernel holds the bytes. A crash of the machine or a power loss may lose the
     * entries since the last force, from the end of the chain: forces start at most 2 ms apart, so that is about the
     * last 2-3 ms of calls here; what remains still verifies. In exchange a call no longer waits for the disk.
     */
    WRITTEN;

    /** The wire name, as in config.yaml. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config value; fails with what is allowed. */
    public static AuditSync of(String value) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst()
            .orElseThrow(() -> new ClonedException(ErrorCode.WORKSPACE_INVALID, "audit.sync in .cloned/config.yaml is '"
                + value + "'", "set it to forced (the default) or written"));
    }
}
