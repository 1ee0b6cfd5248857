package dev.cloned.graph;

import java.util.Collection;
import java.util.List;

/** Contract: which capabilities no installed connector provides, and what to do about each. */
public interface GapAnalysis {

    /** The missing capabilities among {@code capabilities}, sorted by id, each with a recommendation. */
    List<MissingCapability> missing(Collection<String> capabilities, Cover cover, Inventory inventory);
}
