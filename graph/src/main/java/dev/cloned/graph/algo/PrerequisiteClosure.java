package dev.cloned.graph.algo;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.CapabilityClosure;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.GraphNode;
import dev.cloned.graph.Link;
import dev.cloned.graph.Relation;
import org.jgrapht.Graph;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/** Breadth-first walk along the graph's prerequisite edges; linear in the size of the closure. */
public final class PrerequisiteClosure implements CapabilityClosure {
    private final Graph<GraphNode, Link> graph;

    /** A closure over the prerequisite edges of {@code graph}. */
    public PrerequisiteClosure(CapabilityGraph graph) {
        this.graph = graph.graph();
    }

    @Override
    public List<String> close(Collection<String> required) {
        TreeSet<String> seen = new TreeSet<>();
        Deque<GraphNode> queue = new ArrayDeque<>();
        for (String id : required) {
            GraphNode node = GraphNode.capability(id);
            if (!graph.containsVertex(node)) {
                throw new ClonedException(ErrorCode.NOT_FOUND, "unknown capability '" + id + "'",
                        "see blueprints/capabilities.yaml for the known capabilities");
            }
            if (seen.add(id)) {
                queue.add(node);
            }
        }
        while (!queue.isEmpty()) {
            for (Link link : graph.outgoingEdgesOf(queue.poll())) {
                if (link.relation() == Relation.PREREQUISITE && seen.add(link.target().id())) {
                    queue.add(link.target());
                }
            }
        }
        return List.copyOf(seen);
    }
}
