package dev.cloned.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolDescriptor;
import dev.cloned.runtime.tools.ToolRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpSchema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An upstream MCP server (started over stdio) as a tool source: its tools are registered in the gateway's
 * {@link ToolRegistry} under a connector id and publisher, so every call to them takes the governed path like any
 * other tool. The upstream process ends with {@link #close()}.
 */
public final class UpstreamMcpTools implements AutoCloseable {
    /** The capability upstream tools are registered with. */
    public static final String CAPABILITY = "mcp.upstream";
    private final McpSyncClient client;
    private final List<McpSchema.Tool> tools;

    private UpstreamMcpTools(McpSyncClient client, List<McpSchema.Tool> tools) {
        this.client = client;
        this.tools = List.copyOf(tools);
    }

    /** Starts the server, initializes the session and lists its tools. */
    public static UpstreamMcpTools start(ServerParameters params, Duration timeout) {
        StdioClientTransport transport = new StdioClientTransport(params, McpFront.JSON);
        transport.setStdErrorHandler(line -> { });
        McpSyncClient client = McpClient.sync(transport).requestTimeout(timeout).initializationTimeout(timeout)
            .jsonSchemaValidator(new ProjectSchemaValidator())
            .clientInfo(new McpSchema.Implementation("cloned-gateway", "0.1.0")).build();
        try {
            client.initialize();
            return new UpstreamMcpTools(client, client.listTools().tools());
        } catch (RuntimeException e) {
            client.closeGracefully();
            throw new ClonedException(ErrorCode.CONNECTOR_FAILED, "upstream MCP server " + params.getCommand()
                + " did not start: " + e.getMessage(), "run the command by hand to see its error", e);
        }
    }

    /** The upstream tools' names. */
    public List<String> names() {
        return tools.stream().map(McpSchema.Tool::name).toList();
    }

    /**
     * Registers every upstream tool as {@code <connectorId>.<name>@v1} with the given publisher (whom the pack may or
     * may not allow); returns the tool ids.
     */
    public List<String> register(ToolRegistry registry, String connectorId, String publisherId) {
        List<String> ids = new ArrayList<>();
        List<RegisteredTool> registered = new ArrayList<>();
        for (McpSchema.Tool t : tools) {
            String id = connectorId + "." + t.name() + "@v1";
            JsonNode schema = CanonicalJson.MAPPER.valueToTree(McpFront.JSON.convertValue(t.inputSchema(), Map.class));
            ToolDescriptor d = new ToolDescriptor(id, t.description(), connectorId, publisherId, List.of(CAPABILITY),
                "low", null, null, null, schema);
            String name = t.name();
            registered.add(new RegisteredTool(d, (input, ctx) -> call(name, input)));
            ids.add(id);
        }
        registry.replaceConnector(connectorId, registered); // one change, so MCP clients are told once
        return ids;
    }

    @SuppressWarnings("unchecked")
    private JsonNode call(String name, JsonNode input) {
        Map<String, Object> args = CanonicalJson.MAPPER.convertValue(input, Map.class);
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(name, args));
        JsonNode out = CanonicalJson.MAPPER.valueToTree(McpFront.JSON.convertValue(r, Map.class));
        if (Boolean.TRUE.equals(r.isError())) {
            throw new ClonedException(ErrorCode.CONNECTOR_FAILED, "upstream tool " + name + " failed: "
                + out.path("content").toString());
        }
        return out;
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
