package dev.cloned.graph.algo;

import dev.cloned.graph.Blueprint;
import dev.cloned.graph.BlueprintPlan;
import dev.cloned.graph.Capability;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.MissingCapability;
import dev.cloned.graph.RiskLevel;
import dev.cloned.graph.Tool;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Derives the facts of a plan that policy and selection look at: risk, approvals, costs, publishing, egress. */
final class PlanFacts {
    /** The cost category whose use means content leaves the workspace publicly. */
    static final String PUBLISH_CATEGORY = "content_publish";

    private final CapabilityGraph graph;

    PlanFacts(CapabilityGraph graph) {
        this.graph = graph;
    }

    BlueprintPlan plan(Blueprint blueprint, List<String> capabilities, List<ConnectorChoice> connectors,
                       List<MissingCapability> missing, List<String> notes) {
        RiskLevel risk = RiskLevel.LOW;
        TreeSet<String> approvals = new TreeSet<>();
        TreeSet<String> unknownCost = new TreeSet<>();
        boolean publishes = false;
        for (String id : capabilities) {
            Capability capability = graph.capability(id).orElseThrow();
            if (capability.riskLevel().compareTo(risk) > 0) {
                risk = capability.riskLevel();
            }
            approvals.addAll(capability.requiredApprovals());
            if (capability.costModel().isUnknown()) {
                unknownCost.add(id);
            }
            publishes |= PUBLISH_CATEGORY.equals(capability.costModel().category());
        }
        return new BlueprintPlan(blueprint, capabilities, connectors, missing, risk, List.copyOf(approvals),
                List.copyOf(unknownCost), publishes, egressHosts(capabilities, connectors), notes);
    }

    /** Hosts of the chosen connectors' tools that implement a capability of the plan. */
    private List<String> egressHosts(List<String> capabilities, List<ConnectorChoice> connectors) {
        Set<String> needed = Set.copyOf(capabilities);
        TreeSet<String> hosts = new TreeSet<>();
        for (ConnectorChoice choice : connectors) {
            for (Tool tool : graph.connector(choice.connectorId()).orElseThrow().tools()) {
                if (tool.capabilities().stream().anyMatch(needed::contains)) {
                    hosts.addAll(tool.egressHosts());
                }
            }
        }
        return List.copyOf(hosts);
    }
}
