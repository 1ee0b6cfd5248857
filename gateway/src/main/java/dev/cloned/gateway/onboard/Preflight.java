package dev.cloned.gateway.onboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.gateway.core.GovernedCalls;
import dev.cloned.gateway.tools.ConnectorRecommendationTool;
import dev.cloned.gateway.tools.PolicyPackApplyTool;
import dev.cloned.graph.BlueprintPlan;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Connector;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.Tool;
import dev.cloned.rules.Decision;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.rules.egress.EgressPolicy;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import dev.cloned.runtime.tools.ToolDescriptor;
import dev.cloned.runtime.tools.ToolRegistry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Asks the policy engine, through the governed path's side-effect-free evaluation, about a plan's setup steps, the
 * first pipeline's expected tool calls and the tools of the connectors to install. Registered tools are decided
 * exactly as live; tools of connectors not installed yet are decided with the facts the catalog gives.
 */
final class Preflight {
    static final String EGRESS_TOOL = "cloned.internal.security.egress.update@v1";

    private final GovernedCalls calls;
    private final ToolRegistry tools;
    private final CapabilityGraph graph;
    private final CatalogTools catalog;
    private final String actor;

    Preflight(GovernedCalls calls, ToolRegistry tools, CapabilityGraph graph, String actor) {
        this.calls = calls;
        this.tools = tools;
        this.graph = graph;
        this.catalog = new CatalogTools(graph);
        this.actor = actor;
    }

    /** The plan's setup steps in order, each decided (local steps aside). */
    List<SetupStep> setupSteps(BlueprintPlan plan, PolicyPack pack, String planId) {
        List<SetupStep> steps = new ArrayList<>();
        steps.add(SetupStep.local("plans.dir", "plans.dir", "Create .cloned/plans/ and write this plan there", ""));
        steps.add(packStep(plan.blueprint().policyPack(), pack));
        for (ConnectorChoice c : plan.connectorsToInstall()) {
            ObjectNode in = CanonicalJson.MAPPER.createObjectNode().put("id", c.connectorId())
                .put("version", graph.connector(c.connectorId()).map(Connector::version).orElse("unknown"))
                .put("publisher_id", c.publisherId()).put("basis", c.basis().wire()).put("plan_id", planId);
            ArrayNode caps = in.putArray("capabilities");
            c.covers().forEach(caps::add);
            steps.add(toolStep("connector.register:" + c.connectorId(), "connector.register",
                "Record " + c.connectorId() + " as recommended (disabled until its signed package is installed)",
                ConnectorRecommendationTool.ID, in, "install the signed package: cloned connectors install DIR"));
        }
        for (String[] hc : egressNeeded(plan, pack)) {
            ObjectNode in = CanonicalJson.MAPPER.createObjectNode().put("action", "allow").put("host", hc[0])
                .put("connector", hc[1]);
            steps.add(toolStep("egress.allow:" + hc[1] + ":" + hc[0], "egress.allow",
                "Allow egress to " + hc[0] + " for " + hc[1], EGRESS_TOOL, in,
                "an admin runs: cloned firewall allow " + hc[0] + " --connector " + hc[1]));
        }
        return steps;
    }

    private SetupStep packStep(String wanted, PolicyPack pack) {
        if (wanted.equals(pack.packId())) {
            return SetupStep.local("policy.pack", "policy.pack", "Use the blueprint's policy pack " + wanted,
                "the active pack is already " + wanted);
        }
        Optional<String> name = PolicyPackApplyTool.builtinName(wanted);
        if (name.isEmpty()) {
            return SetupStep.local("policy.pack", "policy.pack", "Use the blueprint's policy pack " + wanted,
                "no built-in pack has id " + wanted + "; the active pack " + pack.packId() + " stays");
        }
        ObjectNode in = CanonicalJson.MAPPER.createObjectNode().put("pack", name.get());
        return toolStep("policy.pack", "policy.pack", "Switch the active pack from " + pack.packId() + " to " + wanted,
            PolicyPackApplyTool.ID, in, "request it: cloned call " + PolicyPackApplyTool.ID + " --input '"
                + CanonicalJson.write(in) + "'");
    }

    private SetupStep toolStep(String id, String kind, String title, String toolId, ObjectNode input, String note) {
        Decision d = calls.evaluate(new ToolCallEnvelope(toolId, input, actor, false, null));
        return new SetupStep(id, kind, title, toolId, input, d, note);
    }

    /** (host, connector) pairs that tools of the connectors to install would reach and no allowlist admits. */
    private List<String[]> egressNeeded(BlueprintPlan plan, PolicyPack pack) {
        EgressPolicy egress = new EgressPolicy(pack.allowlists());
        Set<String> seen = new LinkedHashSet<>();
        List<String[]> out = new ArrayList<>();
        for (ConnectorChoice c : plan.connectorsToInstall()) {
            for (Tool t : graph.connector(c.connectorId()).map(Connector::tools).orElse(List.of())) {
                for (String host : t.egressHosts()) {
                    if (!egress.resolve(host, t.id(), c.connectorId()).allowed() && seen.add(c.connectorId() + " " + host)) {
                        out.add(new String[] {host, c.connectorId()});
                    }
                }
            }
        }
        return out;
    }

    /** The first pipeline's expected tool calls, each decided for its most restrictive host. */
    List<CheckedCall> pipelineCalls(BlueprintPlan plan) {
        List<CheckedCall> out = new ArrayList<>();
        for (String toolId : plan.blueprint().expectedToolCalls()) {
            out.add(check(toolId));
        }
        return out;
    }

    /** Every tool of the connectors still to install, as it would be decided once installed. */
    List<CheckedCall> connectorTools(BlueprintPlan plan) {
        List<CheckedCall> out = new ArrayList<>();
        for (ConnectorChoice c : plan.connectorsToInstall()) {
            graph.connector(c.connectorId()).ifPresent(conn -> conn.tools().forEach(t -> out.add(check(t.id()))));
        }
        return out;
    }

    private CheckedCall check(String toolId) {
        ToolCallEnvelope env = new ToolCallEnvelope(toolId, CanonicalJson.MAPPER.createObjectNode(), actor, false, null);
        Optional<RegisteredTool> registered = tools.find(toolId);
        if (registered.isPresent()) {
            ToolDescriptor d = registered.get().descriptor();
            return new CheckedCall(toolId, d.connectorId(), null, true, calls.evaluateAs(d, env));
        }
        List<String> hosts = graph.tool(toolId).map(Tool::egressHosts).orElse(List.of());
        String connector = catalog.owner(toolId).map(Connector::id).orElse(null);
        if (connector == null) {
            // Unknown everywhere: the live path would decide it as an unregistered tool.
            return new CheckedCall(toolId, null, null, false, calls.evaluate(env));
        }
        CheckedCall worst = null;
        for (String host : hosts.isEmpty() ? java.util.Collections.<String>singletonList(null) : hosts) {
            Decision d = calls.evaluateAs(catalog.descriptor(toolId, host).orElseThrow(), env);
            if (worst == null || d.effect().ordinal() > worst.decision().effect().ordinal()) {
                worst = new CheckedCall(toolId, connector, host, false, d);
            }
        }
        return worst;
    }
}
