package dev.cloned.rules.simulate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Effect;
import dev.cloned.rules.json.CanonicalJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The audit line reader as it was before {@link AuditLineScanner}: its position-based fast path, kept as a test
 * oracle (the new reader must give the same calls on every line this one read right). Its streaming fallback and
 * facts reader were the ones {@link AuditRecords} still has, so it calls those.
 */
final class LegacyAuditRecords {
    private static final JsonFactory JSON = CanonicalJson.MAPPER.getFactory();

    private LegacyAuditRecords() {
    }

    /** The recorded call in one audit line, or {@code null} when the line is not a decision with facts. */
    public static RecordedCall parse(String line) {
        try {
            RecordedCall fast = scan(line);
            if (fast != null) {
                return fast == NOT_A_DECISION ? null : fast;
            }
            return AuditRecords.reference(line);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable audit line: " + e.getMessage(), e);
        }
    }

    private static final RecordedCall NOT_A_DECISION = new RecordedCall(-1, "none", new CallFacts("none", false, null,
        null, List.of(), null, null, null, null, null, Instant.EPOCH, false), null, false, false);

    /**
     * Fast path for lines the audit log writes (canonical JSON: no insignificant white space, so a key such as
     * {@code "facts":{} can only occur as a key, never inside a string, where its quotes would be escaped): find the
     * few fields by position and tokenize only the {@code facts} object, instead of the whole entry. Returns
     * {@code null} when the line does not look canonical, and the caller falls back to the full streaming read.
     */
    private static RecordedCall scan(String line) throws IOException {
        String kind = stringAfter(line, "\"kind\":\"", 0);
        if (kind == null) {
            return null;
        }
        if (!kind.equals("decision")) {
            return NOT_A_DECISION;
        }
        int f = line.indexOf("\"facts\":{");
        int pd = line.indexOf("\"policy_decision\":{");
        int seqAt = line.indexOf("\"seq\":");
        if (f < 0 || pd < 0 || seqAt < 0) {
            return null;
        }
        String effect = stringAfter(line, "\"effect\":\"", pd);
        if (effect == null) {
            return null;
        }
        int end = seqAt + 6;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        CallFacts facts;
        try (JsonParser p = JSON.createParser(line.substring(f + 8))) {
            p.nextToken();
            facts = AuditRecords.facts(p);
        }
        if (facts == null) {
            return null;
        }
        return new RecordedCall(Long.parseLong(line.substring(seqAt + 6, end)), stringAfter(line, "\"call_id\":\"", 0),
            facts, Effect.fromWire(effect), line.contains("\"code\":\"approval_granted\""), true);
    }

    private static String stringAfter(String line, String key, int from) {
        int i = line.indexOf(key, from);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        int end = line.indexOf('"', start);
        return end < 0 ? null : line.substring(start, end);
    }
}
