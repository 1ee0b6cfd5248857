package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;

import dev.cloned.runtime.store.Store;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Verifies an audit log line by line: sequence, link to the previous hash, and the entry's own hash. */
public final class AuditVerifier {
    private AuditVerifier() {
    }

    /**
     * Verifies the whole file like {@link #verify(Path)}, then holds it against the store's index: a chain that
     * verifies but no longer holds the last entry the index recorded lost lines at its end (or was replaced), which
     * the chain alone cannot show. {@code badLine} is then the first line missing.
     */
    public static AuditVerification verify(Path file, Store index) {
        Optional<String> mismatch = index == null ? Optional.empty() : AuditIndex.mismatch(file, index);
        if (mismatch.isPresent() && !Files.exists(file)) {
            return new AuditVerification(false, 0, 1, mismatch.get(), AuditChain.GENESIS);
        }
        AuditVerification v = verify(file);
        if (!v.ok() || mismatch.isEmpty()) {
            return v;
        }
        return new AuditVerification(false, v.entries(), v.entries() + 1, mismatch.get(), v.lastHash());
    }

    /** Verifies the whole file, streaming it; reports the first bad line (1-based) and what is wrong with it. */
    public static AuditVerification verify(Path file) {
        long lineNo = 0;
        String prev = AuditChain.GENESIS;
        try {
            boolean endsWithNewline = endsWithNewline(file);
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String next = r.readLine();
                while (next != null) {
                    String line = next;
                    next = r.readLine();
                    lineNo++;
                    if (next == null && !endsWithNewline) {
                        return bad(lineNo, "line is incomplete (no newline): an unfinished write", prev);
                    }
                    JsonNode n;
                    try {
                        n = CanonicalJson.MAPPER.readTree(line);
                    } catch (IOException e) {
                        return bad(lineNo, "not valid JSON", prev);
                    }
                    String problem = check(n, line, lineNo, prev);
                    if (problem != null) {
                        return bad(lineNo, problem, prev);
                    }
                    prev = n.path(AuditChain.THIS).asText();
                }
            }
        } catch (NoSuchFileException e) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "no audit log at " + file,
                "run `cloned init` first");
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.AUDIT_UNAVAILABLE, "cannot read " + file + ": " + e.getMessage());
        }
        return new AuditVerification(true, lineNo, 0, null, prev);
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            if (ch.size() == 0) {
                return true;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, ch.size() - 1);
            return b.get(0) == '\n';
        }
    }

    private static String check(JsonNode n, String line, long lineNo, String prev) {
        if (!(n instanceof ObjectNode o)) {
            return "not a JSON object";
        }
        if (n.path("seq").asLong() != lineNo) {
            return "sequence " + n.path("seq").asText() + " where " + lineNo + " was expected (line removed or reordered)";
        }
        if (!prev.equals(n.path(AuditChain.PREV).asText())) {
            return "chain_prev_hash does not match the previous entry (line removed, inserted or reordered)";
        }
        if (!AuditChain.hash(prev, o).equals(n.path(AuditChain.THIS).asText())) {
            return "chain_this_hash does not match the entry's content (entry modified)";
        }
        if (!CanonicalJson.write(n).equals(line)) {
            return "line is not in canonical form (entry modified)";
        }
        return null;
    }

    private static AuditVerification bad(long lineNo, String problem, String lastGood) {
        return new AuditVerification(false, lineNo - 1, lineNo, problem, lastGood);
    }
}
