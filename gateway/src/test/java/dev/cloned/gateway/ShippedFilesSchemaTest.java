package dev.cloned.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.gateway.demo.DemoScenario;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.schema.SchemaValidator;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every shipped file, and every file Cloned writes, validates against its JSON Schema (networknt, draft 2020-12). */
class ShippedFilesSchemaTest {
    private static final Path ROOT = Path.of(System.getProperty("cloned.root", ".."));

    static Stream<Path> packFiles() throws IOException {
        return Files.walk(ROOT.resolve("policy/packs")).filter(p -> p.getFileName().toString().equals("pack.yaml"));
    }

    static Stream<Path> packTests() throws IOException {
        return Files.walk(ROOT.resolve("policy/packs")).filter(p -> p.toString().endsWith(".tests.yaml"));
    }

    static Stream<Path> envelopes() throws IOException {
        return Files.list(ROOT.resolve("docs/examples")).filter(p -> p.toString().endsWith(".json"));
    }

    private static JsonNode yaml(Path p) throws IOException {
        return PackLoader.readYaml(Files.readString(p), p.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packFiles")
    void should_validate_every_shipped_pack(Path p) throws IOException {
        assertThat(SchemaValidator.violations("policy-pack.schema.json", yaml(p))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packTests")
    void should_validate_every_shipped_pack_test_file(Path p) throws IOException {
        assertThat(SchemaValidator.violations("policy-tests.schema.json", yaml(p))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("envelopes")
    void should_validate_every_example_envelope(Path p) throws IOException {
        JsonNode doc = CanonicalJson.MAPPER.readTree(p.toFile());
        assertThat(SchemaValidator.violations("tool_call_envelope.schema.json", doc)).isEmpty();
        assertThat(ToolCallEnvelope.parse(doc).toolId()).isNotBlank();
    }

    @Test
    void should_write_workspace_files_and_audit_entries_that_match_their_schemas(@TempDir Path dir) throws IOException {
        new DemoScenario(dir, Clock.systemUTC()).run();
        Workspace ws = Workspace.at(dir);
        assertThat(SchemaValidator.violations("workspace.schema.json", yaml(ws.configFile()))).isEmpty();
        assertThat(SchemaValidator.violations("connector-registry.schema.json", yaml(ws.registryFile()))).isEmpty();
        List<String> lines = Files.readAllLines(ws.auditLog());
        assertThat(lines).hasSizeGreaterThan(10);
        for (String line : lines) {
            assertThat(SchemaValidator.violations("audit-entry.schema.json", CanonicalJson.MAPPER.readTree(line)))
                .as(line).isEmpty();
        }
    }

    @Test
    void should_reject_a_malformed_envelope_naming_the_field() {
        JsonNode bad = CanonicalJson.MAPPER.createObjectNode().put("tool_id", "echo").put("input", "not an object");
        assertThat(SchemaValidator.violations("tool_call_envelope.schema.json", bad))
            .anySatisfy(v -> assertThat(v).startsWith("/tool_id"))
            .anySatisfy(v -> assertThat(v).startsWith("/input"));
    }
}
