package dev.cloned.graph;

/** Contract: a deterministic text rendering of the whole graph (vertices and edges sorted). */
public interface GraphRenderer {

    /** Renders the graph; the same graph always gives the same text. */
    String render(CapabilityGraph graph);
}
