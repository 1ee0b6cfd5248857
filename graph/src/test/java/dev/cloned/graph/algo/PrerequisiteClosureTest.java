package dev.cloned.graph.algo;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cloned.graph.Fixtures.capability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrerequisiteClosureTest {
    private final CapabilityGraph graph = Fixtures.graph(List.of(
            capability("report", "synthesis", "storage"),
            capability("synthesis", "guard"),
            capability("guard"),
            capability("storage"),
            capability("unrelated", "guard")), List.of());

    @Test
    void should_include_transitive_prerequisites_when_closing_required_capabilities() {
        assertThat(new PrerequisiteClosure(graph).close(List.of("report")))
                .containsExactly("guard", "report", "storage", "synthesis");
    }

    @Test
    void should_not_duplicate_shared_prerequisites_when_several_capabilities_need_them() {
        assertThat(new PrerequisiteClosure(graph).close(List.of("synthesis", "unrelated", "guard")))
                .containsExactly("guard", "synthesis", "unrelated");
    }

    @Test
    void should_fail_with_not_found_when_a_capability_is_unknown() {
        assertThatThrownBy(() -> new PrerequisiteClosure(graph).close(List.of("nope")))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("nope");
    }
}
