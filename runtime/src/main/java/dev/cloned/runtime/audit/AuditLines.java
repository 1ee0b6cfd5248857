package dev.cloned.runtime.audit;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.store.AuditRow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the lines of indexed audit entries back from {@code audit.log}: the store keeps where each line is, not the
 * line. Rows whose lines lie close together (the usual case: rows come in sequence order) are read in one go.
 */
public final class AuditLines {
    /** Gaps up to this size between two wanted lines are read through rather than seeked over. */
    private static final int MAX_GAP = 64 << 10;
    private static final int MAX_SPAN = 8 << 20;

    private AuditLines() {
    }

    /** The lines of {@code rows}, in the same order. Throws {@code AUDIT_BROKEN} when a row is not where it says. */
    public static List<String> read(Path log, List<AuditRow> rows) {
        List<String> out = new ArrayList<>(rows.size());
        if (rows.isEmpty()) {
            return out;
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            int i = 0;
            while (i < rows.size()) {
                AuditRow first = rows.get(i);
                long end = first.end();
                int j = i + 1;
                while (j < rows.size()) {
                    AuditRow r = rows.get(j);
                    if (r.pos() < end || r.pos() - end > MAX_GAP || r.end() - first.pos() > MAX_SPAN) {
                        break;
                    }
                    end = r.end();
                    j++;
                }
                byte[] span = readFully(ch, first.pos(), (int) (end - first.pos()), first, log);
                for (int k = i; k < j; k++) {
                    AuditRow r = rows.get(k);
                    int off = (int) (r.pos() - first.pos());
                    if (span[off] != '{' || span[off + r.len()] != '\n') {
                        throw mismatch(log, r);
                    }
                    out.add(new String(span, off, r.len(), StandardCharsets.UTF_8));
                }
                i = j;
            }
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.AUDIT_UNAVAILABLE, "cannot read " + log + ": " + e.getMessage(),
                "check that the workspace's audit log exists and is readable", e);
        }
        return out;
    }

    private static byte[] readFully(FileChannel ch, long pos, int len, AuditRow first, Path log) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                throw mismatch(log, first);
            }
        }
        return buf.array();
    }

    private static ClonedException mismatch(Path log, AuditRow r) {
        return new ClonedException(ErrorCode.AUDIT_BROKEN, "the audit index says entry " + r.seq() + " is at offset "
            + r.pos() + " of " + log + ", but it is not (was the log replaced or cut?)",
            "run `cloned audit verify`; reopening the workspace rebuilds the index from the log", null);
    }
}
