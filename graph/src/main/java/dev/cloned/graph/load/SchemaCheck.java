package dev.cloned.graph.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Validates a parsed file against one of the schemas shipped under {@code schemas/} (draft 2020-12). */
public final class SchemaCheck {
    /** Schema of {@code capabilities.yaml}. */
    public static final String CAPABILITIES = "capabilities.schema.json";
    /** Schema of {@code connectors.yaml}. */
    public static final String CONNECTORS = "connector-catalog.schema.json";
    /** Schema of a blueprint file. */
    public static final String BLUEPRINT = "blueprint.schema.json";

    private static final int MAX_REPORTED = 5;

    private final String name;
    private final JsonSchema schema;

    private SchemaCheck(String name, JsonSchema schema) {
        this.name = name;
        this.schema = schema;
    }

    /** Loads a schema from the classpath ({@code schemas/<name>}). */
    public static SchemaCheck load(String name) {
        String path = "schemas/" + name;
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
        try (InputStream in = SchemaCheck.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new ClonedException(ErrorCode.INTERNAL, "schema " + path + " is not on the classpath");
            }
            return new SchemaCheck(name, JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config));
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INTERNAL, "cannot read schema " + path, null, e);
        }
    }

    /** Throws {@link ErrorCode#GRAPH_INVALID} naming the file and the field (JSON pointer) of each violation. */
    public void validate(String file, JsonNode document) {
        Set<ValidationMessage> messages = schema.validate(document);
        if (messages.isEmpty()) {
            return;
        }
        List<String> problems = messages.stream()
                .map(SchemaCheck::describe)
                .distinct()
                .sorted(Comparator.naturalOrder())
                .collect(Collectors.toList());
        String shown = problems.stream().limit(MAX_REPORTED).collect(Collectors.joining("; "));
        String more = problems.size() > MAX_REPORTED ? " (and " + (problems.size() - MAX_REPORTED) + " more)" : "";
        throw new ClonedException(ErrorCode.GRAPH_INVALID, file + ": " + shown + more,
                "fix the field named above; the format is described by schemas/" + name);
    }

    private static String describe(ValidationMessage message) {
        String pointer = message.getInstanceLocation().toString();
        if ("required".equals(message.getType()) && message.getProperty() != null) {
            pointer = pointer + "/" + message.getProperty();
        }
        String text = message.getMessage();
        int colon = text.indexOf(": ");
        String error = colon >= 0 && text.startsWith(message.getInstanceLocation().toString())
                ? text.substring(colon + 2) : text;
        return "field " + (pointer.isEmpty() ? "/" : pointer) + ": " + error;
    }
}
