package dev.cloned.graph;

import java.util.Locale;

/** The four kinds of vertex in the capability graph. */
public enum NodeKind {
    /** A blueprint. */
    BLUEPRINT,
    /** A capability from the taxonomy. */
    CAPABILITY,
    /** A connector from the catalog. */
    CONNECTOR,
    /** A tool exposed by a connector. */
    TOOL;

    /** The wire form, e.g. {@code capability}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
