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
import java.util.RandomAccess;

/**
 * Reads recorded decisions from audit lines ({@code kind: decision} entries with {@code facts}). One forward pass
 * over each line ({@link AuditLineScanner}) picks out the few fields replay needs without building a tree or copying
 * the entry; a line that pass cannot read exactly (escaped strings, unusual numbers or types) goes through a full
 * streaming Jackson read instead, which gives the same answer.
 */
public final class AuditRecords {
    private static final JsonFactory JSON = CanonicalJson.MAPPER.getFactory();

    private AuditRecords() {
    }

    /** The recorded call in one audit line, or {@code null} when the line is not a decision with facts. */
    public static RecordedCall parse(String line) {
        RecordedCall fast = AuditLineScanner.scan(line);
        return fast != AuditLineScanner.GIVE_UP ? fast : reference(line);
    }

    /**
     * The recorded calls in {@code lines}, in order, lines that are not decisions with facts left out; what
     * {@link #parse} gives line by line. Many lines are read in chunks on several threads ({@link Workers}); a line that
     * cannot be read fails the call with the same error as reading in order would (the first such line's).
     */
    public static List<RecordedCall> parseAll(List<String> lines) {
        List<String> all = lines instanceof RandomAccess ? lines : new ArrayList<>(lines);
        int n = all.size();
        int chunks = n < 2 * CHUNK ? 1 : (n + CHUNK - 1) / CHUNK;
        if (chunks == 1) {
            List<RecordedCall> out = new ArrayList<>(n);
            for (String line : all) {
                RecordedCall c = parse(line);
                if (c != null) {
                    out.add(c);
                }
            }
            return out;
        }
        RecordedCall[] read = new RecordedCall[n];
        Workers.run(chunks, k -> {
            for (int i = k * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                read[i] = parse(all.get(i));
            }
        });
        List<RecordedCall> out = new ArrayList<>(n);
        for (RecordedCall c : read) {
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** Lines per chunk when reading in parallel. */
    private static final int CHUNK = 4096;

    /** The full streaming read of a line: the reference the fast scan is held equal to. */
    static RecordedCall reference(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            return read(p);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable audit line: " + e.getMessage(), e);
        }
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
        return AuditLineScanner.instant(s, 0, s.length());
    }

    /** Reads the {@code facts} object in the shape {@link dev.cloned.rules.json.FactsJson} writes. */
    static CallFacts facts(JsonParser p) throws IOException {
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
