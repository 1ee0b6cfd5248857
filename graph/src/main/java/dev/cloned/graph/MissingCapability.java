package dev.cloned.graph;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A capability that no installed connector provides, with what to do about it: the catalog connector that
 * would provide it and its manual steps, or none when no known connector provides it.
 */
public record MissingCapability(String capabilityId, Optional<String> connectorId, List<String> manualSteps,
                                String recommendation) {
    public MissingCapability {
        Objects.requireNonNull(capabilityId, "capabilityId");
        Objects.requireNonNull(connectorId, "connectorId");
        manualSteps = List.copyOf(manualSteps);
        Objects.requireNonNull(recommendation, "recommendation");
    }

    /** True when some known connector would provide the capability. */
    public boolean installable() {
        return connectorId.isPresent();
    }
}
