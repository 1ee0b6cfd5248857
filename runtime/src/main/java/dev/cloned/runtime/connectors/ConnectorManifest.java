package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The content of {@code package.manifest.json} once it has been verified and validated. */
public record ConnectorManifest(String id, String version, String publisherId, String name, String description,
                                List<FileEntry> files, List<ToolSpec> tools, List<String> providesCapabilities,
                                List<String> requiresCapabilities, List<String> manualSteps, ServerSpec server) {
    /** The manifest's file name inside a package. */
    public static final String FILE = "package.manifest.json";
    /** The signature's file name inside a package. */
    public static final String SIGNATURE = "package.sig";

    public ConnectorManifest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(publisherId, "publisherId");
        files = List.copyOf(files);
        tools = List.copyOf(tools);
        providesCapabilities = List.copyOf(providesCapabilities);
        requiresCapabilities = List.copyOf(requiresCapabilities);
        manualSteps = List.copyOf(manualSteps);
        Objects.requireNonNull(server, "server");
    }

    /** Reads a manifest that already passed schema validation. */
    static ConnectorManifest fromJson(JsonNode n) {
        List<FileEntry> files = new ArrayList<>();
        n.path("files").forEach(f -> files.add(new FileEntry(f.get("path").asText(), f.get("sha256").asText())));
        List<ToolSpec> tools = new ArrayList<>();
        for (JsonNode t : n.path("tools")) {
            JsonNode cost = t.get("cost");
            boolean unknown = cost.isTextual();
            tools.add(new ToolSpec(t.get("id").asText(), t.get("description").asText(), t.get("input_schema").deepCopy(),
                    strings(t.get("egress_hosts")), unknown ? null : cost.get("category").asText(),
                    unknown ? 0 : cost.get("estimate").asDouble(), t.get("risk_level").asText()));
        }
        JsonNode server = n.get("server");
        Map<String, String> env = new LinkedHashMap<>();
        server.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return new ConnectorManifest(n.get("id").asText(), n.get("version").asText(), n.get("publisher_id").asText(),
                n.path("name").asText(n.get("id").asText()), n.path("description").asText(""), files, tools,
                strings(n.get("provides_capabilities")), strings(n.get("requires_capabilities")),
                strings(n.get("manual_steps")), new ServerSpec(strings(server.get("command")), env));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(e -> out.add(e.asText()));
        }
        return out;
    }
}
