package dev.cloned.rules.simulate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Effect;
import dev.cloned.rules.json.CanonicalJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit line reader as it was before {@link AuditLineScanner} (a position-based fast path plus a streaming Jackson
 * read), kept verbatim as a test oracle: the new reader must give the same calls on every line this one read right.
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
            try (JsonParser p = JSON.createParser(line)) {
                return read(p);
            }
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
            facts = facts(p);
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

    private static RecordedCall read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String kind = null;
        String callId = null;
        long seq = 0;
        Effect effect = null;
        boolean approved = false;
        CallFacts facts = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "kind" -> kind = p.getText();
                case "call_id" -> callId = t == JsonToken.VALUE_NULL ? null : p.getText();
                case "seq" -> seq = p.getLongValue();
                case "facts" -> facts = facts(p);
                case "policy_decision" -> {
                    DecisionSummary d = decision(p);
                    effect = d.effect;
                    approved = d.approved;
                }
                default -> p.skipChildren();
            }
        }
        if (!"decision".equals(kind) || facts == null) {
            return null;
        }
        return new RecordedCall(seq, callId, facts, effect, approved, true);
    }

    private record DecisionSummary(Effect effect, boolean approved) {
    }

    private static DecisionSummary decision(JsonParser p) throws IOException {
        Effect effect = null;
        boolean approved = false;
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return new DecisionSummary(null, false);
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("effect")) {
                effect = Effect.fromWire(p.getText());
            } else if (name.equals("reasons") && p.currentToken() == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        if (f.equals("code") && "approval_granted".equals(p.getText())) {
                            approved = true;
                        }
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return new DecisionSummary(effect, approved);
    }

    /** {@link Instant#parse}, with a fast path for {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, the form the log writes. */
    static Instant instant(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(10) != 'T' || s.charAt(n - 1) != 'Z' || s.charAt(19) != '.' && n != 20) {
            return Instant.parse(s);
        }
        try {
            long days = java.time.LocalDate.of(num(s, 0, 4), num(s, 5, 7), num(s, 8, 10)).toEpochDay();
            long secs = days * 86400 + num(s, 11, 13) * 3600L + num(s, 14, 16) * 60L + num(s, 17, 19);
            int nanos = 0;
            if (n > 21) {
                int digits = n - 21;
                if (digits > 9) {
                    return Instant.parse(s);
                }
                nanos = num(s, 20, n - 1);
                for (int i = digits; i < 9; i++) {
                    nanos *= 10;
                }
            }
            return Instant.ofEpochSecond(secs, nanos);
        } catch (RuntimeException e) {
            return Instant.parse(s);
        }
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Reads the {@code facts} object in the shape {@link dev.cloned.rules.json.FactsJson} writes. */
    private static CallFacts facts(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String toolId = null;
        String connector = null;
        String publisher = null;
        String risk = null;
        String costCategory = null;
        Long cost = null;
        String host = null;
        String actor = null;
        Instant at = null;
        boolean registered = true;
        boolean dry = false;
        List<String> caps = new ArrayList<>(2);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            boolean isNull = t == JsonToken.VALUE_NULL;
            switch (name) {
                case "tool_id" -> toolId = p.getText();
                case "registered" -> registered = isNull || p.getBooleanValue();
                case "connector_id" -> connector = isNull ? null : p.getText();
                case "publisher_id" -> publisher = isNull ? null : p.getText();
                case "risk_level" -> risk = isNull ? null : p.getText();
                case "cost_category" -> costCategory = isNull ? null : p.getText();
                case "cost_estimate" -> cost = isNull ? null : p.getLongValue();
                case "egress_host" -> host = isNull ? null : p.getText();
                case "actor" -> actor = isNull ? null : p.getText();
                case "at" -> at = instant(p.getText());
                case "dry_run" -> dry = !isNull && p.getBooleanValue();
                case "capabilities" -> {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        caps.add(p.getText());
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (toolId == null || at == null) {
            return null;
        }
        return new CallFacts(toolId, registered, connector, publisher, caps, risk, costCategory, cost, host, actor,
            at, dry);
    }
}
