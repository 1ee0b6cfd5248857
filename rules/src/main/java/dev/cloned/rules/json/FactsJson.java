package dev.cloned.rules.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.CallFacts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The recorded form of {@link CallFacts} ({@code facts} in audit entries), in snake_case, and back for replay. */
public final class FactsJson {
    private FactsJson() {
    }

    /** Facts as JSON; absent values are left out. */
    public static ObjectNode write(CallFacts f) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("tool_id", f.toolId());
        n.put("registered", f.registered());
        putIf(n, "connector_id", f.connectorId());
        putIf(n, "publisher_id", f.publisherId());
        n.set("capabilities", CanonicalJson.MAPPER.valueToTree(f.capabilities()));
        n.put("risk_level", f.riskLevel());
        putIf(n, "cost_category", f.costCategory());
        if (f.costEstimate() != null) {
            n.put("cost_estimate", f.costEstimate());
        }
        putIf(n, "egress_host", f.egressHost());
        n.put("actor", f.actor());
        n.put("at", f.at().toString());
        n.put("dry_run", f.dryRun());
        return n;
    }

    /** Reads facts written by {@link #write(CallFacts)}. */
    public static CallFacts read(JsonNode n) {
        List<String> caps = new ArrayList<>();
        n.path("capabilities").forEach(c -> caps.add(c.asText()));
        return new CallFacts(n.path("tool_id").asText(), n.path("registered").asBoolean(true), text(n, "connector_id"),
            text(n, "publisher_id"), caps, n.path("risk_level").asText("low"), text(n, "cost_category"),
            n.hasNonNull("cost_estimate") ? n.get("cost_estimate").asLong() : null, text(n, "egress_host"),
            n.path("actor").asText(null), Instant.parse(n.path("at").asText()), n.path("dry_run").asBoolean(false));
    }

    private static void putIf(ObjectNode n, String k, String v) {
        if (v != null) {
            n.put(k, v);
        }
    }

    private static String text(JsonNode n, String k) {
        return n.hasNonNull(k) ? n.get(k).asText() : null;
    }
}
