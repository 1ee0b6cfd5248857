package dev.cloned.gateway.onboard;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Connector;
import dev.cloned.graph.Tool;
import dev.cloned.runtime.tools.ToolDescriptor;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a catalog tool into the descriptor the governed path builds facts from, so a connector that is not installed
 * yet is decided with what the catalog says about it: its connector, publisher, capabilities, risk, cost and host.
 */
final class CatalogTools {
    private final Map<String, Connector> ownerByTool = new HashMap<>();
    private final CapabilityGraph graph;

    CatalogTools(CapabilityGraph graph) {
        this.graph = graph;
        for (Connector c : graph.catalog().connectors()) {
            c.tools().forEach(t -> ownerByTool.put(t.id(), c));
        }
    }

    /** The catalog connector that exposes {@code toolId}, if any. */
    Optional<Connector> owner(String toolId) {
        return Optional.ofNullable(ownerByTool.get(toolId));
    }

    /** The descriptor for {@code toolId} as the catalog describes it, reaching {@code host} (or no host). */
    Optional<ToolDescriptor> descriptor(String toolId, String host) {
        Connector c = ownerByTool.get(toolId);
        Tool t = graph.tool(toolId).orElse(null);
        if (c == null || t == null) {
            return Optional.empty();
        }
        Long units = t.cost().isUnknown() ? null : (long) Math.ceil(t.cost().estimate().getAsDouble());
        return Optional.of(new ToolDescriptor(t.id(), "catalog tool of " + c.id(), c.id(), c.publisherId(),
            t.capabilities(), t.riskLevel().wire(), t.cost().category(), units == null ? null : in -> units,
            host == null ? null : in -> host, null));
    }
}
