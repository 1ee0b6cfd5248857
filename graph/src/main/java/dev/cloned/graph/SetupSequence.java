package dev.cloned.graph;

import java.util.List;

/** Connectors in the order to set them up, with notes when no strict order exists (mutual requirements). */
public record SetupSequence(List<String> connectorIds, List<String> notes) {
    public SetupSequence {
        connectorIds = List.copyOf(connectorIds);
        notes = List.copyOf(notes);
    }
}
