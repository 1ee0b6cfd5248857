package dev.cloned.graph.export;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.GraphNode;
import dev.cloned.graph.GraphRenderer;
import dev.cloned.graph.Link;

/** Graphviz DOT: one shape per vertex kind, edges labelled with their relation. */
public final class DotRenderer implements GraphRenderer {

    @Override
    public String render(CapabilityGraph graph) {
        StringBuilder out = new StringBuilder("digraph cloned {\n  rankdir=LR;\n");
        for (GraphNode node : Sorted.nodes(graph)) {
            out.append("  ").append(quote(node.key())).append(" [label=").append(quote(node.id()))
                    .append(", shape=").append(shape(node)).append("];\n");
        }
        for (Link link : Sorted.links(graph)) {
            out.append("  ").append(quote(link.source().key())).append(" -> ").append(quote(link.target().key()))
                    .append(" [label=").append(quote(link.relation().wire())).append("];\n");
        }
        return out.append("}\n").toString();
    }

    private static String shape(GraphNode node) {
        switch (node.kind()) {
            case BLUEPRINT:
                return "doubleoctagon";
            case CONNECTOR:
                return "box";
            case TOOL:
                return "hexagon";
            default:
                return "ellipse";
        }
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
