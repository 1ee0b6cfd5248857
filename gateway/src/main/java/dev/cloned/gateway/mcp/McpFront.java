package dev.cloned.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import dev.cloned.runtime.tools.ToolDescriptor;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The MCP server front: the registry's tools as MCP tools, every {@code tools/call} through the governed path, and
 * {@code tools/list} without the tools the pack denies outright. One class for stdio ({@code cloned mcp}) and
 * Streamable HTTP ({@code /mcp}); Reactor stays inside this package.
 */
public final class McpFront implements AutoCloseable {
    /** The JSON mapper shared by the MCP transports (Jackson 2, the project's Jackson). */
    public static final McpJsonMapper JSON = new JacksonMcpJsonMapper(CanonicalJson.MAPPER);
    private final ClonedGateway gw;
    private final Function<ToolCallEnvelope, CallResult> calls;
    private final Set<String> served = ConcurrentHashMap.newKeySet();
    private McpSyncServer server;

    private McpFront(ClonedGateway gw, Function<ToolCallEnvelope, CallResult> calls) {
        this.gw = gw;
        this.calls = calls;
    }

    /** Serves MCP over the given streams (stdio); returns at once, the SDK reads on its own threads. */
    public static McpFront stdio(ClonedGateway gw, Function<ToolCallEnvelope, CallResult> calls, InputStream in,
                                 OutputStream out) {
        McpFront f = new McpFront(gw, calls);
        f.server = f.configure(McpServer.sync(new StdioServerTransportProvider(JSON, in, out))).build();
        f.refreshTools();
        return f;
    }

    /** Serves MCP over a Streamable HTTP transport (the gateway's {@code /mcp}). */
    public static McpFront http(ClonedGateway gw, Function<ToolCallEnvelope, CallResult> calls,
                                McpStreamableServerTransportProvider transport) {
        McpFront f = new McpFront(gw, calls);
        f.server = f.configure(McpServer.sync(transport)).build();
        f.refreshTools();
        return f;
    }

    private <S extends McpServer.SyncSpecification<S>> McpServer.SyncSpecification<S> configure(
        McpServer.SyncSpecification<S> spec) {
        String version = McpFront.class.getPackage().getImplementationVersion();
        return spec.serverInfo("cloned", version == null ? "dev" : version).jsonMapper(JSON)
            .jsonSchemaValidator(new ProjectSchemaValidator())
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .strictToolNameValidation(false).validateToolInputs(false)
            .instructions("Every tool call is governed by Cloned: a denial or a pending approval comes back as a "
                + "tool result with isError true and structuredContent {code, reason, rule, remaining_budget, approval_id}.")
            .addToolFilter((ctx, tool) -> visible(tool.name()));
    }

    /** Adds tools that appeared in the registry (e.g. an enabled connector's) and removes those that left. */
    public synchronized void refreshTools() {
        Set<String> now = ConcurrentHashMap.newKeySet();
        for (RegisteredTool t : gw.tools().all()) {
            String name = McpNames.of(t.descriptor().id());
            now.add(name);
            if (served.add(name)) {
                server.addTool(spec(t.descriptor()));
            }
        }
        for (String name : Set.copyOf(served)) {
            if (!now.contains(name)) {
                server.removeTool(name);
                served.remove(name);
            }
        }
    }

    private boolean visible(String mcpName) {
        return gw.tools().find(McpNames.toolId(mcpName))
            .map(t -> !OutrightDenials.denies(gw.policy().current().pack(), t.descriptor())).orElse(false);
    }

    private McpServerFeatures.SyncToolSpecification spec(ToolDescriptor d) {
        JsonNode schema = d.inputSchema() == null ? CanonicalJson.MAPPER.createObjectNode().put("type", "object")
            : d.inputSchema();
        @SuppressWarnings("unchecked")
        Map<String, Object> schemaMap = CanonicalJson.MAPPER.convertValue(schema, Map.class);
        McpSchema.Tool tool = McpSchema.Tool.builder().name(McpNames.of(d.id())).title(d.id())
            .description(d.description() == null ? d.id() : d.description()).inputSchema(schemaMap).build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool)
            .callHandler((exchange, req) -> call(d.id(), exchange, req)).build();
    }

    private McpSchema.CallToolResult call(String toolId, McpSyncServerExchange exchange, McpSchema.CallToolRequest req) {
        JsonNode input = CanonicalJson.MAPPER.valueToTree(req.arguments() == null ? Map.of() : req.arguments());
        McpSchema.Implementation client = exchange.getClientInfo();
        String actor = "mcp:" + (client == null || client.name() == null ? "client" : client.name());
        try {
            return McpResults.of(calls.apply(new ToolCallEnvelope(toolId, input, actor, false, null)));
        } catch (ClonedException e) {
            return McpResults.of(e);
        } catch (RuntimeException e) {
            return McpResults.of(new ClonedException(ErrorCode.INTERNAL, "internal error: " + e.getClass().getSimpleName()));
        }
    }

    /** Closes the MCP server (not the gateway). */
    @Override
    public void close() {
        server.closeGracefully();
    }
}
