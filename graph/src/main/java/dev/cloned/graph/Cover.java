package dev.cloned.graph;

import java.util.List;

/**
 * The connectors chosen to provide a set of capabilities, in the order they were picked, and the capabilities
 * that no known connector provides.
 */
public record Cover(List<ConnectorChoice> connectors, List<String> unavailable) {
    public Cover {
        connectors = List.copyOf(connectors);
        unavailable = List.copyOf(unavailable);
    }

    /** The ids of the chosen connectors, in the order they were picked. */
    public List<String> connectorIds() {
        return connectors.stream().map(ConnectorChoice::connectorId).toList();
    }
}
