package dev.cloned.graph;

import java.util.Collection;
import java.util.List;

/**
 * Contract: choose connectors that provide a set of capabilities, preferring installed connectors, then
 * verified publishers, then the fewest connectors, with a deterministic tie-break. What a chosen connector
 * requires (closed over prerequisites) must be covered too.
 */
public interface ConnectorCover {

    /**
     * Covers {@code capabilities} and the chosen connectors' requirements; {@code preferred} connectors (a
     * blueprint's) win ties before the id order. Capabilities no known connector provides are reported in
     * {@link Cover#unavailable()}.
     */
    Cover cover(Collection<String> capabilities, Inventory inventory, List<String> preferred);
}
