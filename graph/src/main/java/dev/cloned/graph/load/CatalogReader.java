package dev.cloned.graph.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.Blueprint;
import dev.cloned.graph.Capability;
import dev.cloned.graph.Catalog;
import dev.cloned.graph.Connector;
import dev.cloned.graph.NodeKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a {@link CatalogSource}: parses each YAML file, validates it against its schema, maps it onto the model
 * records and remembers where each entity came from. Every failure is a {@code graph_invalid} error that names
 * the file and the field.
 */
public final class CatalogReader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final SchemaCheck capabilitiesSchema = SchemaCheck.load(SchemaCheck.CAPABILITIES);
    private final SchemaCheck connectorsSchema = SchemaCheck.load(SchemaCheck.CONNECTORS);
    private final SchemaCheck blueprintSchema = SchemaCheck.load(SchemaCheck.BLUEPRINT);
    private final Map<String, String> origins = new HashMap<>();

    /** Reads and validates every file of the source. */
    public LoadedCatalog read(CatalogSource source) {
        origins.clear();
        List<Capability> capabilities = readList(source.capabilities(), capabilitiesSchema, "capabilities",
                NodeKind.CAPABILITY, YamlMapping::capability, Capability::id);
        List<Connector> connectors = readList(source.connectors(), connectorsSchema, "connectors",
                NodeKind.CONNECTOR, YamlMapping::connector, Connector::id);
        List<Blueprint> blueprints = new ArrayList<>();
        for (SourceFile file : source.blueprints()) {
            JsonNode root = parse(file);
            blueprintSchema.validate(file.name(), root);
            Blueprint blueprint = map(file, "", root, YamlMapping::blueprint);
            remember(file.name(), NodeKind.BLUEPRINT, blueprint.id(), "");
            blueprints.add(blueprint);
        }
        Map<String, String> snapshot = Map.copyOf(origins);
        Locator locator = (kind, id, pointer) -> {
            String origin = snapshot.get(kind.wire() + ":" + id);
            return origin == null ? Locator.byEntity().locate(kind, id, pointer) : origin + pointer;
        };
        try {
            return new LoadedCatalog(new Catalog(capabilities, connectors, blueprints), locator);
        } catch (IllegalArgumentException e) {
            throw new ClonedException(ErrorCode.GRAPH_INVALID, source.capabilities().name() + " and siblings: "
                    + e.getMessage(), "ids must be unique across the blueprint directory", e);
        }
    }

    private <T> List<T> readList(SourceFile file, SchemaCheck schema, String key, NodeKind kind,
                                 Function<JsonNode, T> mapper, Function<T, String> id) {
        JsonNode root = parse(file);
        schema.validate(file.name(), root);
        List<T> items = new ArrayList<>();
        JsonNode array = root.path(key);
        for (int i = 0; i < array.size(); i++) {
            String pointer = "/" + key + "/" + i;
            T item = map(file, pointer, array.get(i), mapper);
            remember(file.name(), kind, id.apply(item), pointer);
            items.add(item);
        }
        return items;
    }

    private void remember(String file, NodeKind kind, String id, String pointer) {
        origins.put(kind.wire() + ":" + id, file + ": field " + (pointer.isEmpty() ? "" : pointer));
    }

    private static <T> T map(SourceFile file, String pointer, JsonNode node, Function<JsonNode, T> mapper) {
        try {
            return mapper.apply(node);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ClonedException(ErrorCode.GRAPH_INVALID, file.name() + ": field "
                    + (pointer.isEmpty() ? "/" : pointer) + ": " + e.getMessage(), "fix the entry named above", e);
        }
    }

    private static JsonNode parse(SourceFile file) {
        try {
            JsonNode root = YAML.readTree(file.text());
            if (root == null || root.isMissingNode()) {
                throw new ClonedException(ErrorCode.GRAPH_INVALID, file.name() + ": the file is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new ClonedException(ErrorCode.GRAPH_INVALID, file.name() + ": not valid YAML" + where + ": "
                    + e.getOriginalMessage(), "fix the YAML syntax", e);
        }
    }
}
