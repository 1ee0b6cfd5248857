package dev.cloned.graph.export;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.GraphNode;
import dev.cloned.graph.GraphRenderer;
import dev.cloned.graph.Link;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A Mermaid flowchart; vertices get positional ids ({@code n0}, {@code n1}, ...) in sorted order. */
public final class MermaidRenderer implements GraphRenderer {

    @Override
    public String render(CapabilityGraph graph) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        List<GraphNode> nodes = Sorted.nodes(graph);
        Map<GraphNode, String> ids = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            GraphNode node = nodes.get(i);
            ids.put(node, "n" + i);
            out.append("  n").append(i).append(shape(node, label(node.id()))).append('\n');
        }
        for (Link link : Sorted.links(graph)) {
            out.append("  ").append(ids.get(link.source())).append(" -->|").append(link.relation().wire())
                    .append("| ").append(ids.get(link.target())).append('\n');
        }
        return out.toString();
    }

    private static String shape(GraphNode node, String label) {
        switch (node.kind()) {
            case BLUEPRINT:
                return "[[" + label + "]]";
            case CONNECTOR:
                return "[" + label + "]";
            case TOOL:
                return "{{" + label + "}}";
            default:
                return "(" + label + ")";
        }
    }

    private static String label(String id) {
        return "\"" + id.replace("\"", "#quot;") + "\"";
    }
}
