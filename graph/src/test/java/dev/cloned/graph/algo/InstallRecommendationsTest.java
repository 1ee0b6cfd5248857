package dev.cloned.graph.algo;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Cover;
import dev.cloned.graph.Fixtures;
import dev.cloned.graph.Inventory;
import dev.cloned.graph.MissingCapability;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.cloned.graph.Fixtures.capability;
import static dev.cloned.graph.Fixtures.connector;
import static org.assertj.core.api.Assertions.assertThat;

class InstallRecommendationsTest {
    private final CapabilityGraph graph = Fixtures.graph(
            List.of(capability("have"), capability("get"), capability("never")),
            List.of(connector("connector.installed", "pub.ok", List.of("have"), List.of()),
                    connector("connector.catalog", "pub.unknown", List.of("get"), List.of())));

    @Test
    void should_recommend_the_catalog_connector_and_its_steps_when_a_capability_is_not_installed() {
        Inventory inventory = new Inventory(Set.of("connector.installed"), Set.of("pub.ok"));
        List<String> needed = List.of("have", "get", "never");
        Cover cover = new GreedyConnectorCover(graph).cover(needed, inventory, List.of());

        List<MissingCapability> missing = new InstallRecommendations(graph).missing(needed, cover, inventory);

        assertThat(missing).extracting(MissingCapability::capabilityId).containsExactly("get", "never");
        MissingCapability get = missing.get(0);
        assertThat(get.connectorId()).contains("connector.catalog");
        assertThat(get.manualSteps()).containsExactly("set up connector.catalog");
        assertThat(get.recommendation())
                .isEqualTo("install connector.catalog (unverified publisher pub.unknown), then complete its manual steps");
        MissingCapability never = missing.get(1);
        assertThat(never.connectorId()).isEqualTo(Optional.empty());
        assertThat(never.recommendation()).isEqualTo("no known connector provides never");
    }

    @Test
    void should_report_nothing_missing_when_installed_connectors_cover_everything() {
        Inventory inventory = new Inventory(Set.of("connector.installed", "connector.catalog"), Set.of());
        Cover cover = new GreedyConnectorCover(graph).cover(List.of("have", "get"), inventory, List.of());

        assertThat(new InstallRecommendations(graph).missing(List.of("have", "get"), cover, inventory)).isEmpty();
    }
}
