package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.schema.SchemaValidator;

import java.util.List;

/** The connector-related schema names, validated through the one {@link SchemaValidator}. */
final class Schemas {
    static final String MANIFEST = "connector-manifest.schema.json";
    static final String PUBLISHER = "publisher.schema.json";
    static final String REVOCATIONS = "revocations.schema.json";
    static final String REGISTRY = "connector-registry.schema.json";

    private Schemas() {
    }

    /** Problems of {@code doc} against the named shipped schema; empty when valid. */
    static List<String> validate(String schemaFile, JsonNode doc) {
        return SchemaValidator.violations(schemaFile, doc);
    }

    /** Problems of {@code schema} as a draft 2020-12 JSON Schema. */
    static List<String> validateAsSchema(JsonNode schema) {
        return SchemaValidator.schemaViolations(schema);
    }
}
