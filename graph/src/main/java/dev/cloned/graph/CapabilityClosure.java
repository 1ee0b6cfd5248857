package dev.cloned.graph;

import java.util.Collection;
import java.util.List;

/** Contract: the capabilities needed, including every prerequisite, transitively. */
public interface CapabilityClosure {

    /** The required capabilities plus all their prerequisites, sorted by id, without duplicates. */
    List<String> close(Collection<String> required);
}
