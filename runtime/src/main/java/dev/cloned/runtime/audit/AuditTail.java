package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/** Reads the last complete line of the audit log from the end of the file, without scanning it. */
final class AuditTail {
    private AuditTail() {
    }

    /** The last entry's seq and hash, where its line ends, and how many bytes follow it (a torn write). */
    record Tail(long seq, String hash, long endOfLastLine, long tornBytes) {
    }

    static Tail read(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return new Tail(0, AuditChain.GENESIS, 0, 0);
        }
        long lastNl = findNewline(ch, size - 1);
        if (lastNl < 0) {
            return new Tail(0, AuditChain.GENESIS, 0, size);
        }
        long prevNl = findNewline(ch, lastNl - 1);
        long start = prevNl + 1;
        ByteBuffer buf = ByteBuffer.allocate((int) (lastNl - start));
        ch.read(buf, start);
        String line = new String(buf.array(), StandardCharsets.UTF_8);
        JsonNode n;
        try {
            n = CanonicalJson.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.AUDIT_BROKEN, "the last line of the audit log is not JSON",
                "run `cloned audit verify` to find the damage", e);
        }
        return new Tail(n.path("seq").asLong(), n.path(AuditChain.THIS).asText(), lastNl + 1, size - lastNl - 1);
    }

    private static long findNewline(FileChannel ch, long from) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long pos = from;
        while (pos >= 0) {
            long start = Math.max(0, pos - buf.capacity() + 1);
            buf.clear();
            buf.limit((int) (pos - start + 1));
            ch.read(buf, start);
            for (int i = buf.position() - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return start + i;
                }
            }
            pos = start - 1;
        }
        return -1;
    }
}
