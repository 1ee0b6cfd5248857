package dev.cloned.graph.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.GraphNode;
import dev.cloned.graph.GraphRenderer;
import dev.cloned.graph.Link;

/**
 * JSON: {@code {"nodes":[{"key","kind","id"}...],"edges":[{"source","target","relation"}...]}}, where
 * {@code key} is {@code kind:id}. Pretty-printed with a trailing newline.
 */
public final class JsonRenderer implements GraphRenderer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String render(CapabilityGraph graph) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode nodes = root.putArray("nodes");
        for (GraphNode node : Sorted.nodes(graph)) {
            nodes.addObject().put("key", node.key()).put("kind", node.kind().wire()).put("id", node.id());
        }
        ArrayNode edges = root.putArray("edges");
        for (Link link : Sorted.links(graph)) {
            edges.addObject().put("source", link.source().key()).put("target", link.target().key())
                    .put("relation", link.relation().wire());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new ClonedException(ErrorCode.INTERNAL, "cannot render the graph as JSON", null, e);
        }
    }
}
