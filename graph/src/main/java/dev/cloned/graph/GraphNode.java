package dev.cloned.graph;

import java.util.Comparator;
import java.util.Objects;

/** A vertex of the capability graph: a kind and the id of the blueprint, capability, connector or tool. */
public record GraphNode(NodeKind kind, String id) implements Comparable<GraphNode> {
    private static final Comparator<GraphNode> ORDER =
            Comparator.comparing(GraphNode::kind).thenComparing(GraphNode::id);

    public GraphNode {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    /** A capability vertex. */
    public static GraphNode capability(String id) {
        return new GraphNode(NodeKind.CAPABILITY, id);
    }

    /** A connector vertex. */
    public static GraphNode connector(String id) {
        return new GraphNode(NodeKind.CONNECTOR, id);
    }

    /** A tool vertex. */
    public static GraphNode tool(String id) {
        return new GraphNode(NodeKind.TOOL, id);
    }

    /** A blueprint vertex. */
    public static GraphNode blueprint(String id) {
        return new GraphNode(NodeKind.BLUEPRINT, id);
    }

    /** Orders by kind, then id, so every rendering of the graph is deterministic. */
    @Override
    public int compareTo(GraphNode other) {
        return ORDER.compare(this, other);
    }

    /** {@code kind:id}, e.g. {@code capability:web.search}. */
    public String key() {
        return kind.wire() + ":" + id;
    }
}
