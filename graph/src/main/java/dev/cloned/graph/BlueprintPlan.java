package dev.cloned.graph;

import java.util.List;
import java.util.Objects;

/**
 * What it takes to run a blueprint in a workspace: the capability closure, the connectors in setup order,
 * the missing capabilities with recommendations, and the facts policy and selection rules look at (risk,
 * approvals, unknown costs, publishing, egress hosts).
 */
public record BlueprintPlan(Blueprint blueprint, List<String> capabilities, List<ConnectorChoice> connectors,
                            List<MissingCapability> missing, RiskLevel risk, List<String> requiredApprovals,
                            List<String> unknownCostCapabilities, boolean publishesContent,
                            List<String> egressHosts, List<String> notes) {
    public BlueprintPlan {
        Objects.requireNonNull(blueprint, "blueprint");
        capabilities = List.copyOf(capabilities);
        connectors = List.copyOf(connectors);
        missing = List.copyOf(missing);
        Objects.requireNonNull(risk, "risk");
        requiredApprovals = List.copyOf(requiredApprovals);
        unknownCostCapabilities = List.copyOf(unknownCostCapabilities);
        egressHosts = List.copyOf(egressHosts);
        notes = List.copyOf(notes);
    }

    /** The connectors that still have to be installed, in setup order. */
    public List<ConnectorChoice> connectorsToInstall() {
        return connectors.stream().filter(c -> !c.installed()).toList();
    }

    /** Capabilities that no known connector provides (a subset of {@link #missing()}). */
    public List<String> unavailable() {
        return missing.stream().filter(m -> !m.installable()).map(MissingCapability::capabilityId).toList();
    }

    /** Share of the closure already provided by installed connectors, from 0 to 1 (1 for an empty closure). */
    public double coverageRatio() {
        return capabilities.isEmpty() ? 1.0 : (capabilities.size() - missing.size()) / (double) capabilities.size();
    }
}
