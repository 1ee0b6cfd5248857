package dev.cloned.gateway.connectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The MCP SDK's schema-validator port on the networknt json-schema-validator 1.5.x that Cloned pins. The SDK's
 * default validator needs networknt 2.x, which cannot share the classpath, so every MCP client or server the gateway
 * builds passes this one. (The demo connector keeps its own copy: it must not depend on the gateway.)
 */
public final class McpSchemaValidator implements JsonSchemaValidator {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final ObjectMapper mapper;

    public McpSchemaValidator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object content) {
        try {
            JsonNode node = mapper.valueToTree(content);
            Set<ValidationMessage> problems = FACTORY.getSchema(mapper.valueToTree(schema)).validate(node);
            if (!problems.isEmpty()) {
                return ValidationResponse.asInvalid(problems.stream().map(ValidationMessage::getMessage).sorted()
                    .collect(Collectors.joining("; ")));
            }
            return ValidationResponse.asValid(mapper.writeValueAsString(node));
        } catch (JsonProcessingException | RuntimeException e) {
            return ValidationResponse.asInvalid("schema validation failed: " + e.getMessage());
        }
    }
}
