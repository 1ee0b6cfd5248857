package dev.cloned.rules.explain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.Charge;
import dev.cloned.rules.Decision;
import dev.cloned.rules.EgressMatch;
import dev.cloned.rules.Effect;
import dev.cloned.rules.FiredRule;
import dev.cloned.rules.Reason;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a decision back from its recorded form (an audit entry's {@code policy_decision}), so a past decision can be
 * explained without deciding again. Entries written before {@code rule_matches} existed give rule names only.
 */
public final class RecordedDecision {
    private RecordedDecision() {
    }

    /** The decision recorded in {@code policyDecision}; {@code costs} may be a missing node. */
    public static Decision read(JsonNode policyDecision, JsonNode costs) {
        List<Reason> reasons = new ArrayList<>();
        for (JsonNode r : policyDecision.path("reasons")) {
            reasons.add(new Reason(r.path("code").asText(), r.path("message").asText(), r.path("rule").asText(),
                Effect.fromWire(r.path("effect").asText("deny"))));
        }
        List<FiredRule> fired = new ArrayList<>();
        if (policyDecision.has("rule_matches")) {
            for (JsonNode f : policyDecision.get("rule_matches")) {
                List<String> matched = new ArrayList<>();
                f.path("matched").forEach(m -> matched.add(m.asText()));
                fired.add(new FiredRule(f.path("name").asText(), f.path("source").asText("?"), matched));
            }
        } else {
            for (JsonNode f : policyDecision.path("fired_rules")) {
                fired.add(f.isTextual() ? new FiredRule(f.asText(), "?", List.of())
                    : new FiredRule(f.path("name").asText(), f.path("source").asText("?"), List.of()));
            }
        }
        EgressMatch eg = null;
        JsonNode e = policyDecision.get("egress");
        if (e != null && e.isObject()) {
            eg = new EgressMatch(e.path("host").asText(), e.path("allowed").asBoolean(), e.path("scope").asText(),
                e.hasNonNull("subject") ? e.get("subject").asText() : null,
                e.hasNonNull("pattern") ? e.get("pattern").asText() : null);
        }
        List<Charge> charges = new ArrayList<>();
        for (JsonNode c : costs == null ? policyDecision.path("charges") : costs) {
            charges.add(new Charge(c.path("category").asText(), c.path("amount").asLong()));
        }
        List<String> approvers = new ArrayList<>();
        policyDecision.path("approvers").forEach(a -> approvers.add(a.asText()));
        return new Decision(Effect.fromWire(policyDecision.path("effect").asText("deny")), reasons, fired, eg, charges,
            approvers, policyDecision.path("pack_hash").asText("unknown"));
    }
}
