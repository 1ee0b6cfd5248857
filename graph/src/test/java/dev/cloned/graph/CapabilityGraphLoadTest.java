package dev.cloned.graph;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.load.CatalogSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapabilityGraphLoadTest {

    @TempDir
    Path dir;

    @Test
    void should_load_every_shipped_file_when_reading_the_repository_folder() {
        CapabilityGraph graph = CapabilityGraph.load(Fixtures.repoBlueprints());

        assertThat(graph.catalog().blueprints()).extracting(Blueprint::id).containsExactly(
                "blueprint.builder", "blueprint.creator", "blueprint.legal_research", "blueprint.researcher");
        assertThat(graph.connector("connector.web.search")).isPresent();
        assertThat(graph.tool("cloned.mcp.web.search@v1").orElseThrow().egressHosts())
                .containsExactly("api.duckduckgo.com", "html.duckduckgo.com", "api.search.brave.com");
    }

    @Test
    void should_ship_the_same_blueprints_on_the_classpath_when_loading_builtin() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.repoBlueprints())) {
            assertThat(files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.endsWith(".tests.yaml"))
                    .filter(n -> !n.equals(CatalogSource.CAPABILITIES) && !n.equals(CatalogSource.CONNECTORS)))
                    .containsExactlyInAnyOrderElementsOf(CatalogSource.BUILTIN_BLUEPRINTS);
        }
        assertThat(CapabilityGraph.loadBuiltin().catalog())
                .isEqualTo(CapabilityGraph.load(Fixtures.repoBlueprints()).catalog());
    }

    @Test
    void should_use_the_spec_tool_ids_when_blueprints_list_expected_calls() {
        CapabilityGraph graph = CapabilityGraph.loadBuiltin();

        assertThat(graph.tool("cloned.internal.synthesis@v1").orElseThrow().egressHosts())
                .containsExactly("api.anthropic.com", "api.openai.com");
        assertThat(graph.tool("cloned.mcp.github.pr.create@v1").orElseThrow().egressHosts())
                .containsExactly("api.github.com");
        assertThat(graph.tool("cloned.mcp.youtube.video.upload@v1").orElseThrow().egressHosts())
                .containsExactly("www.googleapis.com");
        assertThat(graph.tool("cloned.internal.echo@v1")).isPresent();
        assertThat(graph.blueprint("blueprint.creator").orElseThrow().firstRunPipeline())
                .isEqualTo("pipeline.creator.youtube");
    }

    @Test
    void should_name_file_and_field_when_a_value_breaks_the_schema() throws IOException {
        copyShipped();
        replace("capabilities.yaml", "risk_level: low", "risk_level: extreme");

        assertGraphInvalid("capabilities.yaml", "field /capabilities/0/risk_level");
    }

    @Test
    void should_name_the_missing_field_when_a_required_property_is_absent() throws IOException {
        copyShipped();
        replace("researcher.yaml", "policy_pack: policy.personal.default\n", "");

        assertGraphInvalid("researcher.yaml", "field /policy_pack");
    }

    @Test
    void should_name_the_unknown_field_when_a_blueprint_has_a_typo() throws IOException {
        copyShipped();
        replace("builder.yaml", "preferred_connectors:", "prefered_connectors:");

        assertGraphInvalid("builder.yaml", "prefered_connectors");
    }

    @Test
    void should_name_file_and_field_when_a_reference_is_unknown() throws IOException {
        copyShipped();
        replace("creator.yaml", "required_capabilities: [web.search, video.package.build",
                "required_capabilities: [web.search, video.package.bild");

        assertGraphInvalid("creator.yaml", "field /required_capabilities/1: unknown capability 'video.package.bild'");
    }

    @Test
    void should_name_the_cycle_when_prerequisites_loop() throws IOException {
        copyShipped();
        replace("capabilities.yaml", "  - id: content.guard\n    description: Strip markup",
                "  - id: content.guard\n    description: Strip markup");
        replace("capabilities.yaml", "cost_model: {category: api_requests, estimate: 0}\n    required_approvals: []\n"
                + "    prerequisites: []\n\n  - id: diagnostics.echo",
                "cost_model: {category: api_requests, estimate: 0}\n    required_approvals: []\n"
                + "    prerequisites: [web.search]\n\n  - id: diagnostics.echo");

        assertGraphInvalid("capabilities.yaml", "prerequisite cycle content.guard -> web.search -> content.guard");
    }

    @Test
    void should_report_the_line_when_yaml_does_not_parse() throws IOException {
        copyShipped();
        Files.writeString(dir.resolve("researcher.yaml"), "id: [unclosed\n");

        assertGraphInvalid("researcher.yaml", "not valid YAML (line");
    }

    @Test
    void should_name_the_cycle_when_a_catalog_built_in_code_loops() {
        Catalog catalog = new Catalog(java.util.List.of(Fixtures.capability("a", "b"), Fixtures.capability("b", "c"),
                Fixtures.capability("c", "a")), java.util.List.of(), java.util.List.of());

        assertThatThrownBy(() -> CapabilityGraph.of(catalog))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.GRAPH_INVALID))
                .hasMessageContaining("capability a: /prerequisites: prerequisite cycle a -> b -> c -> a");
    }

    private void assertGraphInvalid(String file, String detail) {
        assertThatThrownBy(() -> CapabilityGraph.load(dir))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.GRAPH_INVALID))
                .hasMessageContaining(file)
                .hasMessageContaining(detail);
    }

    private void copyShipped() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.repoBlueprints())) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
    }

    private void replace(String file, String from, String to) throws IOException {
        Path path = dir.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }
}
