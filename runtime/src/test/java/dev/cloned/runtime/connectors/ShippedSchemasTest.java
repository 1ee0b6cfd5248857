package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The schemas this module ships are valid draft 2020-12 schemas, and the files it writes match them. */
class ShippedSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Schemas.MANIFEST, Schemas.PUBLISHER, Schemas.REVOCATIONS, Schemas.REGISTRY})
    void should_be_a_valid_2020_12_schema_when_shipped(String file) throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/" + file)) {
            assertThat(in).as(file + " on the classpath").isNotNull();
            schema = JSON.readTree(in);
        }
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(Schemas.validateAsSchema(schema)).isEmpty();
    }

    @Test
    void should_match_the_schemas_when_files_are_written_by_signer_and_keygen(@TempDir Path tmp) throws Exception {
        TestPackages p = new TestPackages(tmp);
        Path pkg = p.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        assertThat(Schemas.validate(Schemas.MANIFEST, JSON.readTree(pkg.resolve(ConnectorManifest.FILE).toFile()))).isEmpty();
        assertThat(Schemas.validate(Schemas.PUBLISHER,
                JSON.readTree(p.cloned.resolve("trust/publishers/" + TestPackages.PUBLISHER + ".json").toFile()))).isEmpty();
        assertThat(Schemas.validate(Schemas.REVOCATIONS, JSON.readTree("{\"revoked_keys\":[],\"yanked\":[]}"))).isEmpty();
    }

    @Test
    void should_report_problems_when_manifest_breaks_the_schema() throws Exception {
        JsonNode bad = JSON.readTree(TestPackages.manifest("Bad Id!", "1.0", TestPackages.PUBLISHER)
                .replace("\"vault://test-token\"", "\"plain-secret-value\""));
        assertThat(Schemas.validate(Schemas.MANIFEST, bad)).hasSizeGreaterThanOrEqualTo(3);
        JsonNode notSchema = JSON.readTree("{\"type\": 12}");
        assertThat(Schemas.validateAsSchema(notSchema)).isNotEmpty();
    }

    @Test
    void should_write_canonical_manifest_with_file_hashes_when_signing(@TempDir Path tmp) throws Exception {
        TestPackages p = new TestPackages(tmp);
        Path pkg = p.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        String text = Files.readString(pkg.resolve(ConnectorManifest.FILE));
        JsonNode m = JSON.readTree(text);
        assertThat(m.get("files").findValuesAsText("path")).containsExactly("README.md", "lib/tool.jar");
        assertThat(m.get("files").get(1).get("sha256").asText()).isEqualTo(Hashing.hex(pkg.resolve("lib/tool.jar")));
        assertThat(text).endsWith("}\n").startsWith("{\n  \"description\"");
        String sha = PackageSigner.sign(pkg, p.publisherKey(TestPackages.PUBLISHER, true));
        assertThat(Files.readString(pkg.resolve(ConnectorManifest.FILE))).isEqualTo(text); // deterministic
        assertThat(sha).isEqualTo(Hashing.hex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
