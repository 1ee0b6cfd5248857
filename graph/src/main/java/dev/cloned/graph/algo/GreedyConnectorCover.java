package dev.cloned.graph.algo;

import dev.cloned.graph.CapabilityClosure;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Connector;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.ConnectorCover;
import dev.cloned.graph.Cover;
import dev.cloned.graph.CoverBasis;
import dev.cloned.graph.Inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Greedy set cover in three tiers. First only installed connectors may be picked, then connectors of verified
 * publishers, then any catalog connector; within a tier the connector covering the most still-uncovered
 * capabilities wins, ties going to the blueprint's preferred connectors, then to the smaller id. Greedy cover is
 * within a factor ln(n) of the smallest cover and fully deterministic, which matters more here than optimality.
 * <p>
 * The chosen connectors' own requirements are closed over prerequisites and covered in further rounds (first by
 * connectors already chosen, then by the tiers again) until nothing new is needed. Each tier uses lazy greedy
 * evaluation (see {@link LazyGreedy}), which picks exactly what eager greedy would, in far fewer gain counts.
 */
public final class GreedyConnectorCover implements ConnectorCover {
    private final CapabilityGraph graph;
    private final CapabilityClosure closure;

    /** A cover over the connectors of {@code graph}'s catalog, closing requirements with {@code closure}. */
    public GreedyConnectorCover(CapabilityGraph graph, CapabilityClosure closure) {
        this.graph = graph;
        this.closure = closure;
    }

    /** A cover that closes connector requirements over the graph's prerequisite edges. */
    public GreedyConnectorCover(CapabilityGraph graph) {
        this(graph, new PrerequisiteClosure(graph));
    }

    @Override
    public Cover cover(Collection<String> capabilities, Inventory inventory, List<String> preferred) {
        Round state = new Round(inventory, Set.copyOf(preferred));
        Set<String> incoming = new TreeSet<>(capabilities);
        while (!incoming.isEmpty()) {
            int before = state.picked.size();
            state.absorb(incoming);
            for (CoverBasis basis : CoverBasis.values()) {
                state.pickFrom(basis);
            }
            incoming = state.newRequirements(before);
        }
        return state.result();
    }

    /** The mutable state of one cover computation. */
    private final class Round {
        private final Inventory inventory;
        private final Set<String> preferred;
        private final TreeSet<String> needed = new TreeSet<>();
        private final TreeSet<String> uncovered = new TreeSet<>();
        private final TreeSet<String> unavailable = new TreeSet<>();
        private final Map<String, List<String>> covers = new LinkedHashMap<>();
        private final Map<String, CoverBasis> bases = new LinkedHashMap<>();
        private final List<String> picked = new ArrayList<>();
        private final Map<String, Integer> pickIndex = new HashMap<>();

        Round(Inventory inventory, Set<String> preferred) {
            this.inventory = inventory;
            this.preferred = preferred;
        }

        /** Adds capabilities: those a chosen connector already provides go to it, the rest wait for a pick. */
        void absorb(Collection<String> capabilities) {
            for (String capability : capabilities) {
                if (!needed.add(capability)) {
                    continue;
                }
                List<String> providers = graph.providersOf(capability);
                if (providers.isEmpty()) {
                    unavailable.add(capability);
                    continue;
                }
                String chosen = firstPicked(providers);
                if (chosen == null) {
                    uncovered.add(capability);
                } else {
                    covers.get(chosen).add(capability);
                }
            }
        }

        void pickFrom(CoverBasis basis) {
            Set<String> tier = new TreeSet<>();
            for (String capability : uncovered) {
                for (String id : graph.providersOf(capability)) {
                    if (!covers.containsKey(id) && basisOf(id) == basis) {
                        tier.add(id);
                    }
                }
            }
            LazyGreedy greedy = new LazyGreedy(tier, this::gain, preferred);
            for (String best = greedy.next(); best != null; best = greedy.next()) {
                List<String> covered = new ArrayList<>();
                for (String capability : provides(best)) {
                    if (uncovered.remove(capability)) {
                        covered.add(capability);
                    }
                }
                covers.put(best, covered);
                bases.put(best, basis);
                pickIndex.put(best, picked.size());
                picked.add(best);
            }
        }

        /** Capabilities required by connectors picked since {@code from}, closed, and not yet accounted for. */
        Set<String> newRequirements(int from) {
            Set<String> required = new HashSet<>();
            for (String id : picked.subList(from, picked.size())) {
                required.addAll(graph.connector(id).orElseThrow().requiresCapabilities());
            }
            required.removeAll(needed);
            if (required.isEmpty()) {
                return Set.of();
            }
            TreeSet<String> fresh = new TreeSet<>(closure.close(required));
            fresh.removeAll(needed);
            return fresh;
        }

        int gain(String connectorId) {
            int gain = 0;
            for (String capability : provides(connectorId)) {
                if (uncovered.contains(capability)) {
                    gain++;
                }
            }
            return gain;
        }

        Cover result() {
            List<ConnectorChoice> choices = new ArrayList<>();
            for (String id : picked) {
                Connector connector = graph.connector(id).orElseThrow();
                choices.add(new ConnectorChoice(id, connector.publisherId(), bases.get(id),
                        covers.get(id).stream().sorted().toList(), connector.manualSteps()));
            }
            return new Cover(choices, List.copyOf(needed), List.copyOf(unavailable));
        }

        private String firstPicked(List<String> providers) {
            String first = null;
            int firstIndex = Integer.MAX_VALUE;
            for (String id : providers) {
                Integer index = pickIndex.get(id);
                if (index != null && index < firstIndex) {
                    first = id;
                    firstIndex = index;
                }
            }
            return first;
        }

        private List<String> provides(String connectorId) {
            return graph.connector(connectorId).orElseThrow().providesCapabilities();
        }

        private CoverBasis basisOf(String connectorId) {
            if (inventory.isInstalled(connectorId)) {
                return CoverBasis.INSTALLED;
            }
            String publisher = graph.connector(connectorId).orElseThrow().publisherId();
            return inventory.isVerified(publisher) ? CoverBasis.VERIFIED_PUBLISHER : CoverBasis.CATALOG;
        }
    }
}
