package dev.cloned.runtime.audit;

import dev.cloned.runtime.audit.AuditEntries;

import java.nio.file.Path;
import java.time.Instant;

/** Appends N entries to an audit log; run as a separate process by {@link AuditLogTest}. */
public final class AuditAppendMain {
    private AuditAppendMain() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        String who = args[2];
        try (AuditLog log = new AuditLog(file, null)) {
            for (int i = 0; i < n; i++) {
                log.append(AuditEntries.system(Instant.EPOCH, who, "ws_test0000", "test", null));
            }
        }
    }
}
