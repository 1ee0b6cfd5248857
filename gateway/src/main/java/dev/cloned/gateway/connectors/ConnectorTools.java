package dev.cloned.gateway.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolDescriptor;
import dev.cloned.runtime.tools.ToolRegistry;

import java.io.IOException;
import java.util.List;

/**
 * Enabling and disabling a connector are tool calls, so they take the governed path: the pack decides (allow/deny
 * lists, approval rules on risk or tool id) and the audit records them. Enabling is {@code medium} risk (the
 * enterprise pack asks for an approval; any pack can add a {@code tool_id} rule); disabling only removes power and
 * is {@code low}.
 */
public final class ConnectorTools {
    /** Tool that enables an installed connector. */
    public static final String ENABLE = "cloned.internal.connector.enable@v1";
    /** Tool that disables a connector. */
    public static final String DISABLE = "cloned.internal.connector.disable@v1";
    private static final String CONNECTOR = "cloned.internal";
    private static final String PUBLISHER = "cloned.official";

    private ConnectorTools() {
    }

    /** Registers the enable and disable tools. */
    public static void register(ToolRegistry registry, ConnectorSupervisor supervisor) {
        JsonNode schema = schema();
        registry.register(new RegisteredTool(new ToolDescriptor(ENABLE,
            "Enables an installed connector (re-verified first); its tools become callable.", CONNECTOR, PUBLISHER,
            List.of("connectors.manage"), "medium", null, null, null, schema), (in, ctx) -> {
                String id = in.get("id").asText();
                List<ToolDescriptor> tools = supervisor.enable(id);
                ObjectNode out = CanonicalJson.MAPPER.createObjectNode().put("id", id).put("enabled", true);
                ArrayNode a = out.putArray("tools");
                tools.forEach(t -> a.add(t.id()));
                return out;
            }));
        registry.register(new RegisteredTool(new ToolDescriptor(DISABLE,
            "Disables a connector: stops its process and removes its tools.", CONNECTOR, PUBLISHER,
            List.of("connectors.manage"), "low", null, null, null, schema), (in, ctx) -> {
                String id = in.get("id").asText();
                supervisor.disable(id);
                return CanonicalJson.MAPPER.createObjectNode().put("id", id).put("enabled", false);
            }));
    }

    private static JsonNode schema() {
        try {
            return CanonicalJson.MAPPER.readTree("{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{\"id\":"
                + "{\"type\":\"string\",\"pattern\":\"^[a-z0-9][a-z0-9._-]{0,199}$\"}},\"additionalProperties\":false}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
