package dev.cloned.graph.algo;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Fixtures;
import dev.cloned.graph.SetupSequence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cloned.graph.Fixtures.capability;
import static dev.cloned.graph.Fixtures.connector;
import static org.assertj.core.api.Assertions.assertThat;

class TopologicalSetupOrderTest {

    @Test
    void should_set_up_providers_first_when_a_connector_requires_their_capability() {
        CapabilityGraph graph = Fixtures.graph(List.of(capability("secrets"), capability("issues"), capability("search")),
                List.of(connector("connector.a.github", "p", List.of("issues"), List.of("secrets")),
                        connector("connector.b.search", "p", List.of("search"), List.of()),
                        connector("connector.z.vault", "p", List.of("secrets"), List.of())));

        SetupSequence sequence = new TopologicalSetupOrder(graph)
                .order(List.of("connector.a.github", "connector.z.vault", "connector.b.search"));

        assertThat(sequence.connectorIds()).containsExactly("connector.b.search", "connector.z.vault", "connector.a.github");
        assertThat(sequence.notes()).isEmpty();
    }

    @Test
    void should_list_by_id_with_a_note_when_connectors_require_each_other() {
        CapabilityGraph graph = Fixtures.graph(List.of(capability("x"), capability("y")),
                List.of(connector("connector.two", "p", List.of("y"), List.of("x")),
                        connector("connector.one", "p", List.of("x"), List.of("y"))));

        SetupSequence sequence = new TopologicalSetupOrder(graph).order(List.of("connector.two", "connector.one"));

        assertThat(sequence.connectorIds()).containsExactly("connector.one", "connector.two");
        assertThat(sequence.notes()).singleElement().asString()
                .contains("connector.one, connector.two").contains("set them up together");
    }
}
