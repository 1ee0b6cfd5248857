package dev.cloned.rules.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON documents against the JSON Schemas (draft 2020-12) shipped under {@code schemas/} on the classpath.
 * Schemas are parsed once and cached.
 */
public final class SchemaValidator {
    /** Schemas' {@code $id}s live under this prefix; it is mapped to the classpath so nothing is fetched. */
    public static final String ID_PREFIX = "https://cloned.dev/schemas/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
        b -> b.schemaMappers(m -> m.mapPrefix(ID_PREFIX, "classpath:schemas/")));
    private static final String META_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Compiled> INLINE = new ConcurrentHashMap<>();

    private SchemaValidator() {
    }

    /**
     * Returns the violations of {@code doc} against {@code schemas/<schemaFile>}, as {@code /pointer: message},
     * sorted; empty when valid.
     */
    public static List<String> violations(String schemaFile, JsonNode doc) {
        JsonSchema schema = CACHE.computeIfAbsent(schemaFile, SchemaValidator::loadSchema);
        return schema.validate(doc).stream()
            .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(ValidationMessage::getMessage))
            .map(m -> pointer(m) + ": " + m.getError())
            .distinct()
            .toList();
    }

    /** Violations of {@code doc} against an inline schema; schemas are cached by content. */
    public static List<String> violations(JsonNode schema, JsonNode doc) {
        return INLINE.computeIfAbsent(schema.toString(), k -> compile(schema)).violations(doc);
    }

    /** Compiles an inline schema once; the result validates any number of documents, from any thread. */
    public static Compiled compile(JsonNode schema) {
        return new Compiled(FACTORY.getSchema(schema));
    }

    /** A compiled inline schema. */
    public static final class Compiled {
        private final JsonSchema schema;

        private Compiled(JsonSchema schema) {
            this.schema = schema;
        }

        /** The violations of {@code doc}, as {@code /pointer: message}, sorted; empty when valid. */
        public List<String> violations(JsonNode doc) {
            Set<ValidationMessage> found = schema.validate(doc);
            if (found.isEmpty()) {
                return List.of();
            }
            return found.stream().map(m -> pointer(m) + ": " + m.getError()).distinct().sorted().toList();
        }
    }

    /** Violations of {@code schema} itself against the draft 2020-12 meta-schema (e.g. a tool's input schema). */
    public static List<String> schemaViolations(JsonNode schema) {
        JsonSchema meta = CACHE.computeIfAbsent(META_2020_12, f -> FACTORY.getSchema(SchemaLocation.of(f)));
        return meta.validate(schema).stream().map(m -> pointer(m) + ": " + m.getError()).distinct().sorted().toList();
    }

    /** Throws {@code code} naming {@code where} and the first violations when {@code doc} is invalid. */
    public static void require(String schemaFile, JsonNode doc, String where, ErrorCode code) {
        List<String> errors = violations(schemaFile, doc);
        if (!errors.isEmpty()) {
            String shown = String.join("; ", errors.subList(0, Math.min(5, errors.size())));
            throw new ClonedException(code, where + " does not match " + schemaFile + ": " + shown,
                "fix the fields named above (see schemas/" + schemaFile + ")");
        }
    }

    private static String pointer(ValidationMessage m) {
        String loc = m.getInstanceLocation().toString();
        // networknt reports "$.a.b"; show a JSON pointer, which is what users edit by.
        if (loc.startsWith("$")) {
            loc = loc.substring(1).replace('.', '/').replace("[", "/").replace("]", "");
        }
        return loc.isEmpty() ? "/" : loc;
    }

    private static JsonSchema loadSchema(String file) {
        if (SchemaValidator.class.getClassLoader().getResource("schemas/" + file) == null) {
            throw new ClonedException(ErrorCode.INTERNAL, "schema schemas/" + file + " is not on the classpath");
        }
        return FACTORY.getSchema(SchemaLocation.of(ID_PREFIX + file));
    }
}
