package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.Charge;
import dev.cloned.rules.Decision;
import dev.cloned.rules.EgressMatch;
import dev.cloned.rules.FiredRule;
import dev.cloned.rules.Reason;
import dev.cloned.rules.explain.Explanations;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.json.CanonicalText;
import dev.cloned.runtime.Ids;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds audit entries in the shape of {@code schemas/audit-entry.schema.json}. The log adds {@code seq} and the
 * chain fields when it appends.
 */
public final class AuditEntries {
    private AuditEntries() {
    }

    /** A new entry with id, timestamp, kind, actor and workspace. */
    public static ObjectNode base(String kind, Instant at, String actor, String workspaceId) {
        ObjectNode e = CanonicalJson.MAPPER.createObjectNode();
        e.put("id", Ids.random("aud"));
        e.put("timestamp", at.toString());
        e.put("kind", kind);
        e.put("actor", actor);
        e.put("workspace_id", workspaceId);
        return e;
    }

    /** A system event (init, policy change, firewall edit), with free-form details. */
    public static ObjectNode system(Instant at, String actor, String workspaceId, String event, ObjectNode details) {
        ObjectNode e = base("system", at, actor, workspaceId);
        e.put("event", event);
        e.set("details", details == null ? CanonicalJson.MAPPER.createObjectNode() : details);
        e.put("dry_run", false);
        return e;
    }

    /**
     * The JSON form of a decision, as recorded in {@code policy_decision}: {@code fired_rules} (names, in order),
     * {@code rule_matches} (each fired rule with its source and the facts it matched) and {@code why} (why the final
     * effect won).
     */
    public static ObjectNode decision(Decision d) {
        return decision(d, true);
    }

    /**
     * The decision as an outcome entry records it: effect, reasons, fired rule names, egress, approvers and pack hash,
     * without {@code rule_matches} and {@code why}, which the call's decision entry already holds.
     */
    public static ObjectNode outcomeDecision(Decision d) {
        return decision(d, false);
    }

    /**
     * The decision's JSON ({@link #decision} when {@code explained}, else {@link #outcomeDecision}) rendered once: the
     * engine hands out one decision instance for identical facts, so most calls find theirs already rendered.
     */
    public static CanonicalText rendered(Decision d, boolean explained) {
        Map<Decision, CanonicalText> cache = explained ? EXPLAINED : OUTCOMES;
        CanonicalText t = cache.get(d);
        if (t == null) {
            t = new CanonicalText(decision(d, explained));
            if (cache.size() >= RENDER_CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(d, t);
        }
        return t;
    }

    private static final int RENDER_CACHE_LIMIT = 4096;
    private static final Map<Decision, CanonicalText> EXPLAINED = new ConcurrentHashMap<>();
    private static final Map<Decision, CanonicalText> OUTCOMES = new ConcurrentHashMap<>();

    private static ObjectNode decision(Decision d, boolean explained) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("effect", d.effect().wire());
        ArrayNode reasons = n.putArray("reasons");
        for (Reason r : d.reasons()) {
            reasons.addObject().put("code", r.code()).put("message", r.message()).put("rule", r.rule())
                .put("effect", r.effect().wire());
        }
        ArrayNode fired = n.putArray("fired_rules");
        d.firedRules().forEach(f -> fired.add(f.name()));
        if (explained) {
            ArrayNode matches = n.putArray("rule_matches");
            for (FiredRule f : d.firedRules()) {
                ArrayNode matched = matches.addObject().put("name", f.name()).put("source", f.source())
                    .putArray("matched");
                f.matched().forEach(m -> matched.add(String.valueOf(m)));
            }
            n.put("why", Explanations.why(d));
        }
        EgressMatch eg = d.egress();
        if (eg != null) {
            ObjectNode egress = n.putObject("egress");
            egress.put("host", eg.host()).put("allowed", eg.allowed()).put("scope", eg.scope());
            if (eg.subject() != null) {
                egress.put("subject", eg.subject());
            }
            if (eg.pattern() != null) {
                egress.put("pattern", eg.pattern());
            }
        }
        n.set("approvers", CanonicalJson.MAPPER.valueToTree(d.approvers()));
        n.put("pack_hash", d.packHash());
        return n;
    }

    /** The JSON form of charges, as recorded in {@code costs}. */
    public static ArrayNode costs(List<Charge> charges) {
        ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
        charges.forEach(c -> a.addObject().put("category", c.category()).put("amount", c.amount()));
        return a;
    }
}
