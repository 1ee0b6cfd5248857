package dev.cloned.gateway.onboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.gateway.json.Views;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.MissingCapability;
import dev.cloned.rules.blueprint.BlueprintSelection;
import dev.cloned.rules.blueprint.ExcludedBlueprint;
import dev.cloned.rules.blueprint.RankedBlueprint;
import dev.cloned.rules.blueprint.ScoreReason;
import dev.cloned.rules.json.CanonicalJson;

import java.util.List;

/** JSON views of onboarding results for {@code --output json}: the plan, its pre-flight and the setup outcomes. */
public final class OnboardJson {
    private OnboardJson() {
    }

    /** The whole outcome: plan (with pre-flight), whether it was applied, and each step's outcome. */
    public static ObjectNode outcome(PlanOfRecord p, SetupReport report, boolean dryRun) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("plan_id", p.id()).put("created_at", p.createdAt().toString()).put("dry_run", dryRun)
            .put("applied", report != null).put("path", p.relativePath()).put("goal", p.goal());
        n.set("constraints", CanonicalJson.MAPPER.valueToTree(p.constraints()));
        n.put("blueprint_id", p.chosen().blueprintId()).put("score", p.chosen().score()).put("pack_id", p.packId());
        n.set("selection", selection(p.selection()));
        n.set("capabilities", CanonicalJson.MAPPER.valueToTree(p.plan().capabilities()));
        ArrayNode conns = n.putArray("connectors_to_install");
        for (ConnectorChoice c : p.plan().connectorsToInstall()) {
            conns.addObject().put("id", c.connectorId()).put("publisher_id", c.publisherId())
                .put("basis", c.basis().wire()).set("manual_steps", CanonicalJson.MAPPER.valueToTree(c.manualSteps()));
        }
        ArrayNode missing = n.putArray("missing");
        for (MissingCapability m : p.plan().missing()) {
            ObjectNode x = missing.addObject().put("capability", m.capabilityId()).put("recommendation", m.recommendation());
            m.connectorId().ifPresent(c -> x.put("connector", c));
        }
        ArrayNode budget = n.putArray("budget");
        for (BudgetLine b : p.budget()) {
            ObjectNode x = budget.addObject().put("category", b.category()).put("monthly_estimate", b.monthlyEstimate());
            if (b.cap() != null) {
                x.put("cap", b.cap()).put("period", b.period());
            }
            if (b.remaining() != null) {
                x.put("remaining", b.remaining());
            }
            x.put("over_cap", b.overCap());
        }
        ArrayNode setup = n.putArray("setup");
        for (SetupStep s : p.setup()) {
            ObjectNode x = setup.addObject().put("id", s.id()).put("kind", s.kind()).put("title", s.title())
                .put("status", s.status().wire()).put("note", s.note());
            if (s.toolId() != null) {
                x.put("tool_id", s.toolId());
                x.set("decision", Views.decision(s.decision()));
            }
        }
        n.set("pipeline", calls(p.pipeline()));
        n.set("connector_tools", calls(p.connectorTools()));
        if (report != null) {
            ArrayNode steps = n.putArray("outcomes");
            for (SetupReport.StepOutcome s : report.steps()) {
                ObjectNode x = steps.addObject().put("step", s.stepId()).put("outcome", s.outcome()).put("detail", s.detail());
                if (s.callId() != null) {
                    x.put("call_id", s.callId());
                }
            }
        }
        return n;
    }

    /** The ranking with reasons, and the exclusions. */
    public static ObjectNode selection(BlueprintSelection s) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        ArrayNode ranked = n.putArray("ranked");
        for (RankedBlueprint r : s.ranked()) {
            ranked.addObject().put("blueprint_id", r.blueprintId()).put("score", r.score()).set("reasons", reasons(r.reasons()));
        }
        ArrayNode excluded = n.putArray("excluded");
        for (ExcludedBlueprint e : s.excluded()) {
            excluded.addObject().put("blueprint_id", e.blueprintId()).set("reasons", reasons(e.reasons()));
        }
        n.set("warnings", CanonicalJson.MAPPER.valueToTree(s.warnings()));
        n.set("fired_rules", CanonicalJson.MAPPER.valueToTree(s.firedRules()));
        return n;
    }

    private static ArrayNode reasons(List<ScoreReason> reasons) {
        ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
        reasons.forEach(r -> a.addObject().put("rule", r.rule()).put("delta", r.delta()).put("message", r.message()));
        return a;
    }

    private static ArrayNode calls(List<CheckedCall> calls) {
        ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
        for (CheckedCall c : calls) {
            ObjectNode x = a.addObject().put("tool_id", c.toolId()).put("facts", c.source());
            if (c.connectorId() != null) {
                x.put("connector_id", c.connectorId());
            }
            if (c.host() != null) {
                x.put("host", c.host());
            }
            x.set("decision", Views.decision(c.decision()));
        }
        return a;
    }
}
