package dev.cloned.gateway.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.files.AtomicFiles;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolDescriptor;
import dev.cloned.runtime.tools.ToolRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code cloned.internal.connector.register@v1}: records a catalog connector as recommended (not installed, not
 * enabled) under the top-level {@code recommended} key of {@code .cloned/registry.yaml}. Installing still needs the
 * signed package; this only remembers what a plan asked for. Low risk, free, no egress.
 */
public final class ConnectorRecommendationTool {
    /** The tool id. */
    public static final String ID = "cloned.internal.connector.register@v1";
    private static final ObjectMapper YAML = Workspace.YAML;

    private ConnectorRecommendationTool() {
    }

    /** Registers the tool. */
    public static void register(ToolRegistry registry, Workspace ws) {
        registry.register(new RegisteredTool(new ToolDescriptor(ID,
            "Records a catalog connector as recommended (disabled, not installed) in registry.yaml.", BuiltinTools.CONNECTOR,
            BuiltinTools.PUBLISHER, List.of("connectors.recommend"), "low", null, null, null, schema()),
            (in, ctx) -> record(ws.registryFile(), in)));
    }

    private static JsonNode record(Path file, JsonNode in) throws IOException {
        ObjectNode entry = CanonicalJson.MAPPER.createObjectNode();
        for (String field : List.of("id", "version", "publisher_id", "basis", "plan_id")) {
            if (in.hasNonNull(field)) {
                entry.put(field, in.get(field).asText());
            }
        }
        entry.put("enabled", false);
        entry.set("capabilities", in.path("capabilities").isArray() ? in.get("capabilities")
            : CanonicalJson.MAPPER.createArrayNode());
        boolean replaced;
        try (AtomicFiles.ExclusiveLock ignored = AtomicFiles.lock(file.resolveSibling(file.getFileName() + ".lock"))) {
            ObjectNode root = Files.exists(file) && YAML.readTree(file.toFile()) instanceof ObjectNode o
                ? o : YAML.createObjectNode();
            List<JsonNode> list = new ArrayList<>();
            root.path("recommended").forEach(list::add);
            replaced = list.removeIf(n -> n.path("id").asText().equals(entry.get("id").asText()));
            list.add(entry);
            list.sort(Comparator.comparing(n -> n.path("id").asText()));
            ArrayNode arr = root.putArray("recommended");
            list.forEach(arr::add);
            AtomicFiles.write(file, YAML.writeValueAsBytes(root));
        }
        return CanonicalJson.MAPPER.createObjectNode().put("recommended", entry.get("id").asText())
            .put("replaced", replaced).put("enabled", false);
    }

    private static JsonNode schema() {
        try {
            return CanonicalJson.MAPPER.readTree("{\"type\":\"object\",\"required\":[\"id\",\"version\",\"publisher_id\"],"
                + "\"properties\":{\"id\":{\"type\":\"string\",\"pattern\":\"^[a-z][a-z0-9_]*(\\\\.[a-z0-9_]+)+$\"},"
                + "\"version\":{\"type\":\"string\"},\"publisher_id\":{\"type\":\"string\"},"
                + "\"basis\":{\"enum\":[\"installed\",\"verified_publisher\",\"catalog\"]},\"plan_id\":{\"type\":\"string\"},"
                + "\"capabilities\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"additionalProperties\":false}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
