package dev.cloned.graph.export;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.GraphNode;
import dev.cloned.graph.Link;

import java.util.List;

/** Vertices and edges in their natural (kind, id) order, so renderings never depend on hash order. */
final class Sorted {
    private Sorted() {
    }

    static List<GraphNode> nodes(CapabilityGraph graph) {
        return graph.graph().vertexSet().stream().sorted().toList();
    }

    static List<Link> links(CapabilityGraph graph) {
        return graph.graph().edgeSet().stream().sorted().toList();
    }
}
