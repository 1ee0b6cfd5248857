package dev.cloned.graph.algo;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Connector;
import dev.cloned.graph.SetupOrdering;
import dev.cloned.graph.SetupSequence;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.traverse.TopologicalOrderIterator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Orders connectors with JGraphT's topological iterator over "provider before requirer" edges, choosing the
 * smallest id whenever several connectors are ready. Connectors that require each other cannot be ordered
 * strictly: they are listed by id and a note names them.
 */
public final class TopologicalSetupOrder implements SetupOrdering {
    private final CapabilityGraph graph;

    /** An ordering over the connectors of {@code graph}'s catalog. */
    public TopologicalSetupOrder(CapabilityGraph graph) {
        this.graph = graph;
    }

    @Override
    public SetupSequence order(Collection<String> connectorIds) {
        Graph<String, DefaultEdge> dependencies = new SimpleDirectedGraph<>(DefaultEdge.class);
        TreeSet<String> ids = new TreeSet<>(connectorIds);
        ids.forEach(dependencies::addVertex);
        for (String requirer : ids) {
            Connector connector = graph.connector(requirer).orElseThrow();
            for (String capability : connector.requiresCapabilities()) {
                for (String provider : graph.providersOf(capability)) {
                    if (!provider.equals(requirer) && ids.contains(provider)) {
                        dependencies.addEdge(provider, requirer);
                    }
                }
            }
        }
        CycleDetector<String, DefaultEdge> cycles = new CycleDetector<>(dependencies);
        if (cycles.detectCycles()) {
            String names = String.join(", ", new TreeSet<>(cycles.findCycles()));
            return new SetupSequence(List.copyOf(ids), List.of("connectors " + names
                    + " require capabilities from each other; set them up together"));
        }
        List<String> order = new ArrayList<>();
        new TopologicalOrderIterator<>(dependencies, Comparator.<String>naturalOrder()).forEachRemaining(order::add);
        return new SetupSequence(order, List.of());
    }
}
