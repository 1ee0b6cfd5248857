package dev.cloned.connector.demo;

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
 * The MCP SDK's schema-validator port on the project's pinned networknt json-schema-validator (1.5.x). The SDK's
 * own default validator is written against networknt 2.x, which cannot share a classpath with the 1.5.x the
 * rest of Cloned uses, so both the server and its clients pass this one explicitly.
 */
public final class NetworkntSchemaValidator implements JsonSchemaValidator {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final ObjectMapper mapper;

    public NetworkntSchemaValidator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object content) {
        try {
            JsonNode contentNode = mapper.valueToTree(content);
            Set<ValidationMessage> problems = FACTORY.getSchema(mapper.valueToTree(schema)).validate(contentNode);
            if (!problems.isEmpty()) {
                return ValidationResponse.asInvalid(problems.stream().map(ValidationMessage::getMessage).sorted()
                        .collect(Collectors.joining("; ")));
            }
            return ValidationResponse.asValid(mapper.writeValueAsString(contentNode));
        } catch (JsonProcessingException | RuntimeException e) {
            return ValidationResponse.asInvalid("schema validation failed: " + e.getMessage());
        }
    }
}
