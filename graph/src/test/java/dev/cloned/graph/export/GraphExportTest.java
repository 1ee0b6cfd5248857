package dev.cloned.graph.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloned.graph.Capability;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Catalog;
import dev.cloned.graph.Connector;
import dev.cloned.graph.GraphFormat;
import dev.cloned.graph.GraphNode;
import dev.cloned.graph.NodeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GraphExportTest {
    private static final CapabilityGraph GRAPH = CapabilityGraph.loadBuiltin();

    @ParameterizedTest
    @EnumSource(GraphFormat.class)
    void should_render_identically_when_the_catalog_lists_entities_in_another_order(GraphFormat format) {
        Catalog catalog = GRAPH.catalog();
        List<Capability> capabilities = new ArrayList<>(catalog.capabilities());
        List<Connector> connectors = new ArrayList<>(catalog.connectors());
        Collections.shuffle(capabilities, new Random(7));
        Collections.shuffle(connectors, new Random(11));
        CapabilityGraph shuffled = CapabilityGraph.of(new Catalog(capabilities, connectors, catalog.blueprints()));

        assertThat(format.render(shuffled)).isEqualTo(format.render(GRAPH)).isEqualTo(format.render(GRAPH));
    }

    @Test
    void should_draw_every_relation_when_rendering_dot() {
        String dot = GraphFormat.DOT.render(GRAPH);

        assertThat(dot).startsWith("digraph cloned {\n")
                .contains("\"blueprint:blueprint.researcher\" -> \"capability:web.search\" [label=\"needs\"];")
                .contains("\"capability:web.search\" -> \"capability:content.guard\" [label=\"prerequisite\"];")
                .contains("\"connector:connector.web.search\" -> \"capability:web.search\" [label=\"provides\"];")
                .contains("\"connector:connector.github.app\" -> \"capability:secrets.read\" [label=\"requires\"];")
                .contains("\"connector:connector.web.search\" -> \"tool:cloned.mcp.web.search@v1\" [label=\"exposes\"];")
                .contains("\"tool:cloned.mcp.web.search@v1\" -> \"capability:web.search\" [label=\"implements\"];")
                .endsWith("}\n");
    }

    @Test
    void should_list_nodes_and_edges_sorted_when_rendering_json() throws Exception {
        JsonNode json = new ObjectMapper().readTree(GraphFormat.JSON.render(GRAPH));

        assertThat(json.get("nodes")).hasSize(GRAPH.graph().vertexSet().size());
        assertThat(json.get("edges")).hasSize(GRAPH.graph().edgeSet().size());
        assertThat(json.get("nodes").get(0).get("key").asText()).isEqualTo("blueprint:blueprint.builder");
        List<GraphNode> nodes = new ArrayList<>();
        json.get("nodes").forEach(n -> nodes.add(new GraphNode(NodeKind.valueOf(n.get("kind").asText().toUpperCase()),
                n.get("id").asText())));
        assertThat(nodes).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void should_use_positional_ids_and_labelled_arrows_when_rendering_mermaid() {
        String mermaid = GraphFormat.MERMAID.render(GRAPH);

        assertThat(mermaid).startsWith("flowchart LR\n  n0[[\"blueprint.builder\"]]\n")
                .contains(" -->|needs| ").contains("{{\"cloned.mcp.web.search@v1\"}}");
        assertThat(GraphFormat.parse("Mermaid")).isEqualTo(GraphFormat.MERMAID);
    }
}
