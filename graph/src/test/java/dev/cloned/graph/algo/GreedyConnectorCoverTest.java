package dev.cloned.graph.algo;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.Cover;
import dev.cloned.graph.CoverBasis;
import dev.cloned.graph.Fixtures;
import dev.cloned.graph.Inventory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static dev.cloned.graph.Fixtures.capability;
import static dev.cloned.graph.Fixtures.connector;
import static org.assertj.core.api.Assertions.assertThat;

class GreedyConnectorCoverTest {
    private static final List<String> NEEDED = List.of("a", "b", "c");

    private final CapabilityGraph graph = Fixtures.graph(
            List.of(capability("a"), capability("b"), capability("c"), capability("orphan")),
            List.of(connector("connector.all", "community.big", List.of("a", "b", "c"), List.of()),
                    connector("connector.ab", "vendor.trusted", List.of("a", "b"), List.of()),
                    connector("connector.c", "vendor.trusted", List.of("c"), List.of()),
                    connector("connector.a.local", "community.small", List.of("a"), List.of()),
                    connector("connector.c.twin", "vendor.trusted", List.of("c"), List.of())));
    private final GreedyConnectorCover cover = new GreedyConnectorCover(graph);

    @Test
    void should_pick_the_fewest_connectors_when_nothing_is_installed_or_verified() {
        Cover result = cover.cover(NEEDED, Inventory.empty(), List.of());

        assertThat(result.connectorIds()).containsExactly("connector.all");
        assertThat(result.connectors()).extracting(ConnectorChoice::basis).containsExactly(CoverBasis.CATALOG);
    }

    @Test
    void should_prefer_verified_publishers_when_they_cover_even_with_more_connectors() {
        Cover result = cover.cover(NEEDED, new Inventory(Set.of(), Set.of("vendor.trusted")), List.of());

        assertThat(result.connectorIds()).containsExactly("connector.ab", "connector.c");
        assertThat(result.connectors()).allMatch(c -> c.basis() == CoverBasis.VERIFIED_PUBLISHER);
    }

    @Test
    void should_prefer_installed_connectors_when_one_already_provides_a_capability() {
        Inventory inventory = new Inventory(Set.of("connector.a.local"), Set.of("vendor.trusted"));

        Cover result = cover.cover(NEEDED, inventory, List.of());

        assertThat(result.connectorIds()).containsExactly("connector.a.local", "connector.ab", "connector.c");
        assertThat(result.connectors().get(0).installed()).isTrue();
        assertThat(result.connectors().get(1).covers()).containsExactly("b");
    }

    @Test
    void should_break_ties_by_id_when_two_connectors_cover_equally() {
        Cover result = cover.cover(List.of("c"), new Inventory(Set.of(), Set.of("vendor.trusted")), List.of());

        assertThat(result.connectorIds()).containsExactly("connector.c");
    }

    @Test
    void should_break_ties_for_the_preferred_connector_when_a_blueprint_names_one() {
        Cover result = cover.cover(List.of("c"), new Inventory(Set.of(), Set.of("vendor.trusted")),
                List.of("connector.c.twin"));

        assertThat(result.connectorIds()).containsExactly("connector.c.twin");
    }

    @Test
    void should_give_the_same_cover_when_inputs_come_in_any_order() {
        List<String> shuffled = new ArrayList<>(NEEDED);
        Inventory inventory = new Inventory(Set.of("connector.a.local"), Set.of("vendor.trusted"));
        Cover first = cover.cover(NEEDED, inventory, List.of());
        for (int i = 0; i < 5; i++) {
            Collections.shuffle(shuffled, new java.util.Random(i));
            assertThat(cover.cover(shuffled, inventory, List.of())).isEqualTo(first);
        }
    }

    @Test
    void should_report_unavailable_when_no_connector_provides_a_capability() {
        Cover result = cover.cover(List.of("a", "orphan"), Inventory.empty(), List.of());

        assertThat(result.unavailable()).containsExactly("orphan");
        assertThat(result.connectors()).flatExtracting(ConnectorChoice::covers).containsExactly("a");
    }

    @Test
    void should_cover_what_chosen_connectors_require_when_they_need_other_capabilities() {
        CapabilityGraph withRequirements = Fixtures.graph(
                List.of(capability("issues"), capability("secrets", "storage"), capability("storage")),
                List.of(connector("connector.github", "p", List.of("issues"), List.of("secrets")),
                        connector("connector.vault", "p", List.of("secrets"), List.of()),
                        connector("connector.disk", "p", List.of("storage"), List.of())));

        Cover result = new GreedyConnectorCover(withRequirements).cover(List.of("issues"), Inventory.empty(), List.of());

        assertThat(result.capabilities()).containsExactly("issues", "secrets", "storage");
        assertThat(result.connectorIds()).containsExactly("connector.github", "connector.disk", "connector.vault");
    }

    @Test
    void should_assign_a_requirement_to_an_already_chosen_connector_when_it_provides_it() {
        CapabilityGraph selfSufficient = Fixtures.graph(List.of(capability("a"), capability("b")),
                List.of(connector("connector.ab", "p", List.of("a", "b"), List.of("b")),
                        connector("connector.b", "p", List.of("b"), List.of())));

        Cover result = new GreedyConnectorCover(selfSufficient).cover(List.of("a"), Inventory.empty(), List.of());

        assertThat(result.connectorIds()).containsExactly("connector.ab");
        assertThat(result.connectors().get(0).covers()).containsExactly("a", "b");
    }
}
