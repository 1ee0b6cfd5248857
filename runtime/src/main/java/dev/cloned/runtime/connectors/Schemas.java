package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Validates documents against the JSON Schemas shipped on the classpath under {@code schemas/}. */
final class Schemas {
    static final String MANIFEST = "connector-manifest.schema.json";
    static final String PUBLISHER = "publisher.schema.json";
    static final String REVOCATIONS = "revocations.schema.json";
    static final String REGISTRY = "connector-registry.schema.json";
    private static final String META_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private Schemas() {
    }

    /** Problems of {@code doc} against the named shipped schema; empty when valid. */
    static List<String> validate(String schemaFile, JsonNode doc) {
        JsonSchema schema = CACHE.computeIfAbsent(schemaFile,
                f -> FACTORY.getSchema(SchemaLocation.of("classpath:schemas/" + f)));
        return messages(schema.validate(doc));
    }

    /** Problems of {@code schema} as a draft 2020-12 JSON Schema (checked against the bundled meta-schema). */
    static List<String> validateAsSchema(JsonNode schema) {
        JsonSchema meta = CACHE.computeIfAbsent(META_2020_12, f -> FACTORY.getSchema(SchemaLocation.of(f)));
        return messages(meta.validate(schema));
    }

    private static List<String> messages(java.util.Set<ValidationMessage> found) {
        return found.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.toList());
    }
}
