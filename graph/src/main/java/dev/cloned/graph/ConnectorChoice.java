package dev.cloned.graph;

import java.util.List;
import java.util.Objects;

/** A connector picked by the cover, why it was picked, which capabilities it covers and its manual steps. */
public record ConnectorChoice(String connectorId, String publisherId, CoverBasis basis, List<String> covers,
                              List<String> manualSteps) {
    public ConnectorChoice {
        Objects.requireNonNull(connectorId, "connectorId");
        Objects.requireNonNull(publisherId, "publisherId");
        Objects.requireNonNull(basis, "basis");
        covers = List.copyOf(covers);
        manualSteps = List.copyOf(manualSteps);
    }

    /** True when the connector is already installed (nothing to set up). */
    public boolean installed() {
        return basis == CoverBasis.INSTALLED;
    }
}
