package dev.cloned.graph;

import java.util.List;

/**
 * The connectors chosen to provide a set of capabilities, in the order they were picked; every capability the
 * cover had to account for (the requested ones plus what the chosen connectors require, closed over
 * prerequisites), sorted; and those that no known connector provides.
 */
public record Cover(List<ConnectorChoice> connectors, List<String> capabilities, List<String> unavailable) {
    public Cover {
        connectors = List.copyOf(connectors);
        capabilities = List.copyOf(capabilities);
        unavailable = List.copyOf(unavailable);
    }

    /** The ids of the chosen connectors, in the order they were picked. */
    public List<String> connectorIds() {
        return connectors.stream().map(ConnectorChoice::connectorId).toList();
    }
}
