package dev.cloned.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.schema.SchemaValidator;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

import java.util.List;
import java.util.Map;

/**
 * The MCP SDK's schema-validator port on the project's one JSON Schema validator. (The SDK's default pulls a
 * json-schema-validator major version the rest of the build does not use.)
 */
public final class ProjectSchemaValidator implements JsonSchemaValidator {
    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        JsonNode s = CanonicalJson.MAPPER.valueToTree(schema);
        JsonNode v = CanonicalJson.MAPPER.valueToTree(structuredContent);
        List<String> errors = SchemaValidator.violations(s, v);
        if (errors.isEmpty()) {
            return ValidationResponse.asValid(CanonicalJson.write(v));
        }
        return ValidationResponse.asInvalid(String.join("; ", errors));
    }
}
