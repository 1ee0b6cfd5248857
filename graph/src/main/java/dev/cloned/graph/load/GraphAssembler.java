package dev.cloned.graph.load;

import dev.cloned.graph.Blueprint;
import dev.cloned.graph.Capability;
import dev.cloned.graph.Catalog;
import dev.cloned.graph.Connector;
import dev.cloned.graph.GraphNode;
import dev.cloned.graph.Link;
import dev.cloned.graph.Relation;
import dev.cloned.graph.Tool;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedMultigraph;

/** Builds the JGraphT graph of a validated catalog: one vertex per entity, one labelled edge per relation. */
public final class GraphAssembler {
    private GraphAssembler() {
    }

    /** Returns a new directed multigraph; the catalog must already have passed {@link CatalogValidator}. */
    public static Graph<GraphNode, Link> assemble(Catalog catalog) {
        Graph<GraphNode, Link> graph = new DirectedMultigraph<>(null, null, false);
        for (Capability capability : catalog.capabilities()) {
            graph.addVertex(GraphNode.capability(capability.id()));
        }
        for (Capability capability : catalog.capabilities()) {
            for (String prerequisite : capability.prerequisites()) {
                link(graph, GraphNode.capability(capability.id()), GraphNode.capability(prerequisite),
                        Relation.PREREQUISITE);
            }
        }
        for (Connector connector : catalog.connectors()) {
            addConnector(graph, connector);
        }
        for (Blueprint blueprint : catalog.blueprints()) {
            GraphNode node = GraphNode.blueprint(blueprint.id());
            graph.addVertex(node);
            for (String capability : blueprint.requiredCapabilities()) {
                link(graph, node, GraphNode.capability(capability), Relation.NEEDS);
            }
        }
        return graph;
    }

    private static void addConnector(Graph<GraphNode, Link> graph, Connector connector) {
        GraphNode node = GraphNode.connector(connector.id());
        graph.addVertex(node);
        for (String capability : connector.providesCapabilities()) {
            link(graph, node, GraphNode.capability(capability), Relation.PROVIDES);
        }
        for (String capability : connector.requiresCapabilities()) {
            link(graph, node, GraphNode.capability(capability), Relation.REQUIRES);
        }
        for (Tool tool : connector.tools()) {
            GraphNode toolNode = GraphNode.tool(tool.id());
            graph.addVertex(toolNode);
            link(graph, node, toolNode, Relation.EXPOSES);
            for (String capability : tool.capabilities()) {
                link(graph, toolNode, GraphNode.capability(capability), Relation.IMPLEMENTS);
            }
        }
    }

    private static void link(Graph<GraphNode, Link> graph, GraphNode from, GraphNode to, Relation relation) {
        graph.addEdge(from, to, new Link(from, to, relation));
    }
}
