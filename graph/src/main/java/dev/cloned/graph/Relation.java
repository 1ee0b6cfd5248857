package dev.cloned.graph;

import java.util.Locale;

/** The meaning of an edge in the capability graph. */
public enum Relation {
    /** blueprint -> capability: the blueprint needs it. */
    NEEDS,
    /** capability -> capability: the target must be available first. */
    PREREQUISITE,
    /** connector -> capability: the connector provides it. */
    PROVIDES,
    /** connector -> capability: the connector needs it from another connector. */
    REQUIRES,
    /** connector -> tool: the connector exposes the tool. */
    EXPOSES,
    /** tool -> capability: the tool implements it. */
    IMPLEMENTS;

    /** The wire form, e.g. {@code provides}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
