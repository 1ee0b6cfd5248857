package dev.cloned.graph.algo;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Connector;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.ConnectorCover;
import dev.cloned.graph.Cover;
import dev.cloned.graph.CoverBasis;
import dev.cloned.graph.Inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Greedy set cover in three tiers. First only installed connectors may be picked, then connectors of verified
 * publishers, then any catalog connector; within a tier the connector covering the most still-uncovered
 * capabilities wins, ties going to the blueprint's preferred connectors, then to the smaller id. Greedy cover is
 * within a factor ln(n) of the smallest cover and fully deterministic, which matters more here than optimality.
 */
public final class GreedyConnectorCover implements ConnectorCover {
    private final CapabilityGraph graph;

    /** A cover over the connectors of {@code graph}'s catalog. */
    public GreedyConnectorCover(CapabilityGraph graph) {
        this.graph = graph;
    }

    @Override
    public Cover cover(Collection<String> capabilities, Inventory inventory, List<String> preferred) {
        TreeSet<String> uncovered = new TreeSet<>();
        List<String> unavailable = new ArrayList<>();
        Map<CoverBasis, TreeSet<String>> candidates = new EnumMap<>(CoverBasis.class);
        for (CoverBasis basis : CoverBasis.values()) {
            candidates.put(basis, new TreeSet<>());
        }
        for (String capability : new TreeSet<>(capabilities)) {
            List<String> providers = graph.providersOf(capability);
            if (providers.isEmpty()) {
                unavailable.add(capability);
                continue;
            }
            uncovered.add(capability);
            for (String id : providers) {
                candidates.get(basisOf(id, inventory)).add(id);
            }
        }
        Set<String> preferredSet = new HashSet<>(preferred);
        List<ConnectorChoice> chosen = new ArrayList<>();
        for (CoverBasis basis : CoverBasis.values()) {
            pickFromTier(basis, candidates.get(basis), uncovered, preferredSet, chosen);
        }
        return new Cover(chosen, unavailable);
    }

    private void pickFromTier(CoverBasis basis, TreeSet<String> tier, TreeSet<String> uncovered,
                              Set<String> preferred, List<ConnectorChoice> chosen) {
        while (!uncovered.isEmpty() && !tier.isEmpty()) {
            String best = null;
            int bestGain = 0;
            for (String id : tier) { // sorted, so a strictly better gain is needed to replace a smaller id
                int gain = gain(id, uncovered);
                boolean better = gain > bestGain
                        || gain == bestGain && gain > 0 && preferred.contains(id) && !preferred.contains(best);
                if (better) {
                    best = id;
                    bestGain = gain;
                }
            }
            if (best == null) {
                return;
            }
            tier.remove(best);
            Connector connector = graph.connector(best).orElseThrow();
            List<String> covers = connector.providesCapabilities().stream().filter(uncovered::contains).sorted().toList();
            uncovered.removeAll(covers);
            chosen.add(new ConnectorChoice(best, connector.publisherId(), basis, covers, connector.manualSteps()));
        }
    }

    private int gain(String connectorId, Set<String> uncovered) {
        int gain = 0;
        for (String capability : graph.connector(connectorId).orElseThrow().providesCapabilities()) {
            if (uncovered.contains(capability)) {
                gain++;
            }
        }
        return gain;
    }

    private CoverBasis basisOf(String connectorId, Inventory inventory) {
        if (inventory.isInstalled(connectorId)) {
            return CoverBasis.INSTALLED;
        }
        String publisher = graph.connector(connectorId).orElseThrow().publisherId();
        return inventory.isVerified(publisher) ? CoverBasis.VERIFIED_PUBLISHER : CoverBasis.CATALOG;
    }
}
