package dev.cloned.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.policy.PolicyListener;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import dev.cloned.runtime.tools.ToolDescriptor;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The MCP server front: the registry's tools as MCP tools, every {@code tools/call} through the governed path, and
 * {@code tools/list} without the tools the pack denies outright. One class for stdio ({@code cloned mcp}) and
 * Streamable HTTP ({@code /mcp}); Reactor stays inside this package. When the list a client would see changes (a
 * connector enabled or disabled, a pack reload that hides or shows tools), connected clients get one
 * {@code notifications/tools/list_changed}: the SDK's own per-tool notifications are held back while the tools
 * are updated, so a connector's five new tools are one notification, not five.
 */
public final class McpFront implements AutoCloseable {
    /** The JSON mapper shared by the MCP transports (Jackson 2, the project's Jackson). */
    public static final McpJsonMapper JSON = new JacksonMcpJsonMapper(CanonicalJson.MAPPER);
    /** How long tool-list updates and shutdown wait for the SDK. */
    private static final Duration SDK_WAIT = Duration.ofSeconds(30);
    private final ClonedGateway gw;
    /** Runs one governed call; the SDK waits for it without holding a thread. */
    private final Function<ToolCallEnvelope, Mono<CallResult>> calls;
    /** The tools given to the SDK by MCP name (all registry tools; the filter hides what the pack denies). */
    private final Map<String, McpSchema.Tool> served = new HashMap<>();
    /** What tools/list showed at the last refresh; null before the first. */
    private Map<String, McpSchema.Tool> shown;
    private final Runnable toolsChanged = this::refreshTools;
    private final PolicyListener packChanged = new PolicyListener() {
        @Override
        public void activated(ActivePolicy.Activation activation) {
            refreshTools();
        }

        @Override
        public void rejected(ActivePolicy.Rejection rejection) {
            // the old pack stays active: nothing a client sees changes
        }
    };
    private volatile boolean refreshing;
    private McpAsyncServer server;

    private McpFront(ClonedGateway gw, Function<ToolCallEnvelope, Mono<CallResult>> calls) {
        this.gw = gw;
        this.calls = calls;
    }

    /**
     * Serves MCP over the given streams (stdio); returns at once, the SDK reads on its own threads. {@code calls}
     * blocks: each call runs on a thread of its own (Reactor's elastic pool), so calls of one client overlap.
     */
    public static McpFront stdio(ClonedGateway gw, Function<ToolCallEnvelope, CallResult> calls, InputStream in,
                                 OutputStream out) {
        McpFront f = new McpFront(gw, env -> Mono.fromCallable(() -> calls.apply(env))
            .subscribeOn(Schedulers.boundedElastic()));
        f.server = f.configure(McpServer.async(new StdioServerTransportProvider(JSON, in, out) {
            @Override
            public Mono<Void> notifyClients(String method, Object params) {
                return f.heldBack(method) ? Mono.empty() : super.notifyClients(method, params);
            }
        })).build();
        f.start();
        return f;
    }

    /**
     * Serves MCP over a Streamable HTTP transport (the gateway's {@code /mcp}). {@code calls} must not block the
     * thread it is called on (an event loop): it returns a stage that completes when the call is done.
     */
    public static McpFront http(ClonedGateway gw, Function<ToolCallEnvelope, CompletionStage<CallResult>> calls,
                                McpStreamableServerTransportProvider transport) {
        McpFront f = new McpFront(gw, env -> Mono.fromCompletionStage(() -> calls.apply(env)));
        f.server = f.configure(McpServer.async(f.holdingBack(transport))).build();
        f.start();
        return f;
    }

    private void start() {
        refreshTools();
        gw.tools().addListener(toolsChanged);
        gw.policy().addListener(packChanged);
    }

    private <S extends McpServer.AsyncSpecification<S>> McpServer.AsyncSpecification<S> configure(
        McpServer.AsyncSpecification<S> spec) {
        String version = McpFront.class.getPackage().getImplementationVersion();
        return spec.serverInfo("cloned", version == null ? "dev" : version).jsonMapper(JSON)
            .jsonSchemaValidator(new ProjectSchemaValidator())
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .strictToolNameValidation(false).validateToolInputs(false)
            .instructions("Every tool call is governed by Cloned: a denial or a pending approval comes back as a "
                + "tool result with isError true and structuredContent {code, reason, rule, remaining_budget, approval_id}.")
            .addToolFilter((ctx, tool) -> Mono.fromSupplier(() -> visible(tool.name())));
    }

    /**
     * Gives the SDK the tools that appeared in the registry (or changed) and takes away those that left; then, if
     * what {@code tools/list} shows changed, notifies connected clients once. Called on every registry change and
     * pack activation, on the thread that made it (never an event loop).
     */
    public synchronized void refreshTools() {
        Map<String, ToolDescriptor> now = new HashMap<>();
        gw.tools().all().forEach(t -> now.put(McpNames.of(t.descriptor().id()), t.descriptor()));
        refreshing = true;
        try {
            for (Map.Entry<String, ToolDescriptor> e : now.entrySet()) {
                McpSchema.Tool tool = tool(e.getValue());
                if (!tool.equals(served.get(e.getKey()))) {
                    server.addTool(spec(e.getValue(), tool)).block(SDK_WAIT);
                    served.put(e.getKey(), tool);
                }
            }
            for (String name : Set.copyOf(served.keySet())) {
                if (!now.containsKey(name)) {
                    server.removeTool(name).block(SDK_WAIT);
                    served.remove(name);
                }
            }
        } finally {
            refreshing = false;
        }
        PolicyPack pack = activePack();
        Map<String, McpSchema.Tool> visible = new HashMap<>();
        served.forEach((name, tool) -> {
            if (pack == null || !OutrightDenials.denies(pack, now.get(name))) {
                visible.put(name, tool);
            }
        });
        boolean changed = shown != null && !visible.equals(shown);
        shown = visible;
        if (changed) {
            try {
                server.notifyToolsListChanged().block(SDK_WAIT);
            } catch (RuntimeException e) {
                // no client connected yet (stdio before initialize): it lists the tools when it comes
                LoggerFactory.getLogger(McpFront.class).debug("tools/list_changed not sent: {}", e.toString());
            }
        }
    }

    /** The active pack, or null when it does not compile (every call is then denied with {@code policy_error}). */
    private PolicyPack activePack() {
        try {
            return gw.policy().current().pack();
        } catch (ClonedException e) {
            return null;
        }
    }

    /** Whether a notification the SDK sends now is one this class sends itself after the update. */
    private boolean heldBack(String method) {
        return refreshing && McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED.equals(method);
    }

    private McpStreamableServerTransportProvider holdingBack(McpStreamableServerTransportProvider t) {
        return new McpStreamableServerTransportProvider() {
            @Override
            public void setSessionFactory(McpStreamableServerSession.Factory factory) {
                t.setSessionFactory(factory);
            }

            @Override
            public Mono<Void> notifyClients(String method, Object params) {
                return heldBack(method) ? Mono.empty() : t.notifyClients(method, params);
            }

            @Override
            public Mono<Void> notifyClient(String sessionId, String method, Object params) {
                return t.notifyClient(sessionId, method, params);
            }

            @Override
            public Mono<Void> closeGracefully() {
                return t.closeGracefully();
            }

            @Override
            public List<String> protocolVersions() {
                return t.protocolVersions();
            }
        };
    }

    private boolean visible(String mcpName) {
        return gw.tools().find(McpNames.toolId(mcpName))
            .map(t -> !OutrightDenials.denies(gw.policy().current().pack(), t.descriptor())).orElse(false);
    }

    private static McpSchema.Tool tool(ToolDescriptor d) {
        JsonNode schema = d.inputSchema() == null ? CanonicalJson.MAPPER.createObjectNode().put("type", "object")
            : d.inputSchema();
        @SuppressWarnings("unchecked")
        Map<String, Object> schemaMap = CanonicalJson.MAPPER.convertValue(schema, Map.class);
        return McpSchema.Tool.builder().name(McpNames.of(d.id())).title(d.id())
            .description(d.description() == null ? d.id() : d.description()).inputSchema(schemaMap).build();
    }

    private McpServerFeatures.AsyncToolSpecification spec(ToolDescriptor d, McpSchema.Tool tool) {
        boolean mcpOutput = d.capabilities().contains(UpstreamMcpTools.CAPABILITY);
        return McpServerFeatures.AsyncToolSpecification.builder().tool(tool)
            .callHandler((exchange, req) -> call(d.id(), mcpOutput, exchange, req)).build();
    }

    private Mono<McpSchema.CallToolResult> call(String toolId, boolean mcpOutput, McpAsyncServerExchange exchange,
                                                McpSchema.CallToolRequest req) {
        JsonNode input = CanonicalJson.MAPPER.valueToTree(req.arguments() == null ? Map.of() : req.arguments());
        McpSchema.Implementation client = exchange.getClientInfo();
        String actor = "mcp:" + (client == null || client.name() == null ? "client" : client.name());
        return Mono.defer(() -> calls.apply(new ToolCallEnvelope(toolId, input, actor, false, null)))
            .map(r -> McpResults.of(r, mcpOutput))
            .onErrorMap(CompletionException.class, ClonedException::unwrap)
            .onErrorResume(ClonedException.class, e -> Mono.just(McpResults.of(e)))
            .onErrorResume(e -> !(e instanceof ClonedException), e -> Mono.just(McpResults.of(
                new ClonedException(ErrorCode.INTERNAL, "internal error: " + e.getClass().getSimpleName()))));
    }

    /** Closes the MCP server (not the gateway). */
    @Override
    public void close() {
        gw.tools().removeListener(toolsChanged);
        gw.policy().removeListener(packChanged);
        server.closeGracefully().block(SDK_WAIT);
    }
}
