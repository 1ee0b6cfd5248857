package dev.cloned.gateway.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.Decision;
import dev.cloned.rules.FiredRule;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.approval.Approval;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolDescriptor;

import java.util.List;

/** The JSON shapes Cloned shows its users (CLI {@code --output json} and the HTTP API), defined once. */
public final class Views {
    private Views() {
    }

    /** A call result. */
    public static ObjectNode callResult(CallResult r) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("status", r.status().wire());
        n.put("code", r.code());
        n.put("call_id", r.callId());
        if (r.decision() != null) {
            n.set("decision", decision(r.decision()));
        }
        if (r.output() != null) {
            n.set("output", r.output());
        }
        if (r.error() != null) {
            n.put("error", r.error());
        }
        if (r.approvalId() != null) {
            n.put("approval_id", r.approvalId());
        }
        n.set("budgets", budgets(r.budgets()));
        n.put("audit_seq", r.auditSeq());
        return n;
    }

    /** A decision, with the facts each fired rule matched. */
    public static ObjectNode decision(Decision d) {
        ObjectNode n = AuditEntries.decision(d);
        ArrayNode fired = n.putArray("fired_rules");
        for (FiredRule f : d.firedRules()) {
            fired.addObject().put("name", f.name()).put("source", f.source())
                .set("matched", CanonicalJson.MAPPER.valueToTree(f.matched()));
        }
        n.set("charges", AuditEntries.costs(d.charges()));
        return n;
    }

    /** Budget states. */
    public static ArrayNode budgets(List<BudgetState> states) {
        ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
        for (BudgetState b : states) {
            a.addObject().put("category", b.category()).put("period", b.period().wire()).put("cap", b.cap())
                .put("used", b.used()).put("remaining", b.remaining()).put("window_end", b.windowEnd().toString());
        }
        return a;
    }

    /** An approval. */
    public static ObjectNode approval(Approval a) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("id", a.id()).put("status", a.status()).put("created_at", a.createdAt().toString())
            .put("actor", a.actor()).put("scope", a.scope()).put("tool_id", a.toolId())
            .put("payload_hash", a.payloadHash()).put("risk", a.risk());
        n.set("cost_estimate", a.costEstimate());
        n.set("approvers", CanonicalJson.MAPPER.valueToTree(a.approvers()));
        n.set("reasons", CanonicalJson.MAPPER.valueToTree(a.reasons()));
        n.put("uses", a.uses()).put("max_uses", a.maxUses());
        if (a.decidedBy() != null) {
            n.put("decided_by", a.decidedBy()).put("decided_at", a.decidedAt().toString())
                .put("decision_reason", a.decisionReason());
        }
        return n;
    }

    /** A tool's descriptor (no handler). */
    public static ObjectNode tool(ToolDescriptor t) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("id", t.id()).put("description", t.description()).put("connector_id", t.connectorId())
            .put("publisher_id", t.publisherId()).put("risk_level", t.riskLevel());
        n.set("capabilities", CanonicalJson.MAPPER.valueToTree(t.capabilities()));
        if (t.costCategory() != null) {
            n.put("cost_category", t.costCategory()).put("cost_known", t.costEstimate() != null);
        }
        n.set("input_schema", t.inputSchema());
        return n;
    }
}
