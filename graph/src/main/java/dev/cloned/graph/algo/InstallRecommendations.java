package dev.cloned.graph.algo;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.Cover;
import dev.cloned.graph.GapAnalysis;
import dev.cloned.graph.Inventory;
import dev.cloned.graph.MissingCapability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A capability is missing when no installed connector provides it. The recommendation is the connector the
 * cover picked for it (with its manual steps), or a plain statement that no known connector provides it.
 */
public final class InstallRecommendations implements GapAnalysis {
    private final CapabilityGraph graph;

    /** Recommendations drawn from {@code graph}'s catalog. */
    public InstallRecommendations(CapabilityGraph graph) {
        this.graph = graph;
    }

    @Override
    public List<MissingCapability> missing(Collection<String> capabilities, Cover cover, Inventory inventory) {
        Map<String, ConnectorChoice> coveredBy = new HashMap<>();
        for (ConnectorChoice choice : cover.connectors()) {
            choice.covers().forEach(capability -> coveredBy.put(capability, choice));
        }
        List<MissingCapability> missing = new ArrayList<>();
        for (String capability : new TreeSet<>(capabilities)) {
            boolean installed = graph.providersOf(capability).stream().anyMatch(inventory::isInstalled);
            if (installed) {
                continue;
            }
            ConnectorChoice choice = coveredBy.get(capability);
            missing.add(choice == null ? unavailable(capability) : installable(capability, choice, inventory));
        }
        return missing;
    }

    private static MissingCapability unavailable(String capability) {
        return new MissingCapability(capability, Optional.empty(), List.of(),
                "no known connector provides " + capability);
    }

    private static MissingCapability installable(String capability, ConnectorChoice choice, Inventory inventory) {
        String trust = inventory.isVerified(choice.publisherId()) ? "verified publisher" : "unverified publisher";
        String steps = choice.manualSteps().isEmpty() ? "" : ", then complete its manual steps";
        return new MissingCapability(capability, Optional.of(choice.connectorId()), choice.manualSteps(),
                "install " + choice.connectorId() + " (" + trust + " " + choice.publisherId() + ")" + steps);
    }
}
