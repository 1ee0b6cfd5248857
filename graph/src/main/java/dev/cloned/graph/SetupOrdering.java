package dev.cloned.graph;

import java.util.Collection;

/** Contract: order connectors so that each comes after the connectors providing what it requires. */
public interface SetupOrdering {

    /** A topological order of the given connectors, ties broken by id. */
    SetupSequence order(Collection<String> connectorIds);
}
