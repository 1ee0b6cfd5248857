package dev.cloned.graph;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the workspace already has: the ids of installed connectors and of publishers whose keys it trusts.
 * The runtime supplies it; the graph never reads the workspace itself.
 */
public record Inventory(Set<String> installedConnectors, Set<String> verifiedPublishers) {
    public Inventory {
        installedConnectors = Collections.unmodifiableSortedSet(
                new TreeSet<>(Objects.requireNonNull(installedConnectors, "installedConnectors")));
        verifiedPublishers = Collections.unmodifiableSortedSet(
                new TreeSet<>(Objects.requireNonNull(verifiedPublishers, "verifiedPublishers")));
    }

    /** Nothing installed, no publisher verified. */
    public static Inventory empty() {
        return new Inventory(Set.of(), Set.of());
    }

    /** True when the connector is installed. */
    public boolean isInstalled(String connectorId) {
        return installedConnectors.contains(connectorId);
    }

    /** True when the publisher is verified. */
    public boolean isVerified(String publisherId) {
        return verifiedPublishers.contains(publisherId);
    }
}
