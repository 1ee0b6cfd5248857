package dev.cloned.runtime.audit;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Appends N entries to an audit log; run as a separate process by {@link AuditLogTest} and {@link AuditSyncTest}.
 * Arguments: file, N, actor, and optionally the {@code audit.sync} value, in which case each acknowledged entry's seq is
 * printed on its own line as soon as it is acknowledged.
 */
public final class AuditAppendMain {
    private AuditAppendMain() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        String who = args[2];
        AuditSync sync = args.length > 3 ? AuditSync.of(args[3]) : AuditSync.FORCED;
        boolean print = args.length > 3;
        try (AuditLog log = new AuditLog(file, null, sync)) {
            for (int i = 0; i < n; i++) {
                AuditEntry e = log.append(AuditEntries.system(Instant.EPOCH, who, "ws_test0000", "test", null));
                if (print) {
                    System.out.println(e.seq());
                    System.out.flush();
                }
            }
        }
    }
}
