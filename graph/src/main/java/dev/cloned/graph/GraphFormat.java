package dev.cloned.graph;

import dev.cloned.graph.export.DotRenderer;
import dev.cloned.graph.export.JsonRenderer;
import dev.cloned.graph.export.MermaidRenderer;

import java.util.Locale;

/** The export formats of {@code cloned graph show --format}. */
public enum GraphFormat {
    /** Graphviz DOT. */
    DOT(new DotRenderer()),
    /** JSON with {@code nodes} and {@code edges} arrays. */
    JSON(new JsonRenderer()),
    /** A Mermaid flowchart (renders in GitHub markdown). */
    MERMAID(new MermaidRenderer());

    private final GraphRenderer renderer;

    GraphFormat(GraphRenderer renderer) {
        this.renderer = renderer;
    }

    /** Parses {@code dot}, {@code json} or {@code mermaid}. */
    public static GraphFormat parse(String wire) {
        try {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("format must be dot, json or mermaid, got: " + wire, e);
        }
    }

    /** Renders the graph in this format. */
    public String render(CapabilityGraph graph) {
        return renderer.render(graph);
    }
}
