package dev.cloned.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.redact.Redactor;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolDescriptor;
import dev.cloned.runtime.tools.ToolRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * An upstream MCP server (started over stdio) as a tool source: its tools are registered in the gateway's
 * {@link ToolRegistry} under a connector id and publisher, so every call to them takes the governed path like any
 * other tool.
 *
 * <p>The registrations follow the server: when it sends {@code notifications/tools/list_changed}, its tools are listed
 * again and every registration replaced in one change. When the server exits, a call in flight fails with
 * {@link ErrorCode#CONNECTOR_FAILED} (it is not retried: a tool call may not be idempotent) and the next call starts
 * it again, at once the first time, then after 250 ms, 500 ms, ... up to 30 s while it keeps failing. The server
 * ends with {@link #close()}.
 */
public final class UpstreamMcpTools implements AutoCloseable {
    /** The capability upstream tools are registered with. */
    public static final String CAPABILITY = "mcp.upstream";
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamMcpTools.class);
    /** The names the MCP spec allows for tools (2025-11-25); others could not be told apart in a tool id. */
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** One tool as the server lists it. */
    private record Tool(String name, String description, JsonNode inputSchema) {
    }

    private record Registration(ToolRegistry registry, String connectorId, String publisherId) {
    }

    private final StdioMcpClient.Options options;
    private final Clock clock;
    private final Redactor redactor; // null: the server was given no secret
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final ExecutorService refresher;
    private volatile StdioMcpClient client;
    private volatile List<Tool> tools;
    private volatile boolean closed;
    private volatile int failures; // written under this
    private Instant notBefore = Instant.MIN; // guarded by this

    private UpstreamMcpTools(StdioMcpClient.Options options, Clock clock, Redactor redactor) {
        this.redactor = redactor;
        this.refresher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mcp-upstream-refresh-" + options.name());
            t.setDaemon(true);
            return t;
        });
        this.options = options.withToolsChanged(() -> {
            if (!closed) {
                refresher.execute(this::refresh);
            }
        });
        this.clock = clock;
    }

    /**
     * Starts the server with the command's words and exactly the environment {@code env} (see
     * {@link #environment}), completes the handshake and lists its tools. What the server returns, its errors and its
     * stderr pass {@code redactor} (which knows the secrets it was given; null for a server given none) before they go
     * anywhere.
     */
    public static UpstreamMcpTools start(String id, List<String> command, Map<String, String> env, Redactor redactor,
                                         Duration timeout) {
        return start(StdioMcpClient.Options.of("upstream " + id, command, timeout).withProcess(env, null)
            .withStderr(line -> LOG.debug("[upstream {}] {}", id, redactor == null ? line : redactor.redact(line))),
            Clock.systemUTC(), redactor);
    }

    /**
     * An upstream's environment: the base variables that are set, and every variable named in {@code passed}, which
     * must be set (else {@link ErrorCode#INVALID_INPUT} names it).
     */
    public static Map<String, String> environment(Map<String, String> gatewayEnv, List<String> passed) {
        Map<String, String> env = StdioMcpClient.baseEnvironment(gatewayEnv);
        for (String name : passed) {
            String value = gatewayEnv.get(name);
            if (value == null) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "--upstream-env " + name + ": the gateway's"
                    + " environment has no variable " + name, "set it before `cloned serve`, or drop --upstream-env "
                    + name);
            }
            env.put(name, value);
        }
        return env;
    }

    /**
     * Starts the server as {@code options} say; {@code clock} times the restart backoff; {@code redactor} (or null,
     * for a server given no secret) cleans what it returns.
     */
    public static UpstreamMcpTools start(StdioMcpClient.Options options, Clock clock, Redactor redactor) {
        UpstreamMcpTools u = new UpstreamMcpTools(options, clock, redactor);
        try {
            u.client = StdioMcpClient.start(u.options);
            u.tools = u.list(u.client);
            return u;
        } catch (ClonedException e) {
            u.close();
            throw new ClonedException(ErrorCode.CONNECTOR_FAILED, options.name() + " did not start: " + e.getMessage(),
                e.hint(), e);
        }
    }

    /** The upstream tools' names. */
    public List<String> names() {
        return tools.stream().map(Tool::name).toList();
    }

    /**
     * Registers every upstream tool as {@code <connectorId>.<name>@v1} with the given publisher (whom the pack may or
     * may not allow), now and whenever the server's list changes; returns the tool ids.
     */
    public List<String> register(ToolRegistry registry, String connectorId, String publisherId) {
        Registration r = new Registration(registry, connectorId, publisherId);
        registrations.add(r);
        return apply(r, tools);
    }

    private List<String> apply(Registration r, List<Tool> current) {
        List<String> ids = new ArrayList<>();
        List<RegisteredTool> registered = new ArrayList<>();
        for (Tool t : current) {
            String id = r.connectorId() + "." + t.name() + "@v1";
            ToolDescriptor d = new ToolDescriptor(id, t.description(), r.connectorId(), r.publisherId(),
                List.of(CAPABILITY), "low", null, null, null, t.inputSchema());
            String name = t.name();
            registered.add(RegisteredTool.async(d, (input, ctx) -> call(name, input),
                (input, ctx, blocking) -> callAsync(name, input, blocking)));
            ids.add(id);
        }
        r.registry().replaceConnector(r.connectorId(), registered); // one change, so MCP clients are told once
        return ids;
    }

    private JsonNode call(String name, JsonNode input) {
        JsonNode out;
        try {
            out = running().callTool(name, input);
        } catch (ClonedException e) {
            throw redacted(e);
        }
        return answered(name, out);
    }

    /**
     * The call without waiting: written by this thread when the session is open and the pipe has room, answered on
     * the reader's; a session to start again (which waits for the server) is left to {@code blocking}.
     */
    private CompletableFuture<JsonNode> callAsync(String name, JsonNode input, Executor blocking) {
        StdioMcpClient c = client;
        if (!c.alive()) {
            return CompletableFuture.supplyAsync(() -> call(name, input), blocking);
        }
        return c.callToolAsync(name, input).handle((out, failed) -> {
            if (failed != null) {
                Throwable cause = ClonedException.unwrap(failed);
                throw cause instanceof ClonedException ce ? redacted(ce) : new CompletionException(cause);
            }
            return answered(name, out);
        });
    }

    private ClonedException redacted(ClonedException e) {
        return redactor == null ? e : new ClonedException(e.code(), redactor.redact(e.getMessage()), e.hint());
    }

    /** What the server answered, redacted when it holds a secret; {@code isError} is a failure. */
    private JsonNode answered(String name, JsonNode answer) {
        JsonNode out = answer;
        if (failures != 0) {
            recovered();
        }
        if (redactor != null) {
            out = redactor.redact(out);
        }
        if (out.path("isError").asBoolean(false)) {
            throw new ClonedException(ErrorCode.CONNECTOR_FAILED, "upstream tool " + name + " failed: "
                + out.path("content").toString());
        }
        return out;
    }

    /** The session, started again if the server has exited (within the backoff). */
    private StdioMcpClient running() {
        StdioMcpClient c = client;
        if (c.alive()) {
            return c;
        }
        synchronized (this) {
            c = client;
            if (c.alive()) {
                return c;
            }
            if (closed) {
                throw new ClonedException(ErrorCode.CONNECTOR_FAILED, options.name() + " is stopped: the gateway is"
                    + " shutting down");
            }
            Instant now = clock.instant();
            if (now.isBefore(notBefore)) {
                throw new ClonedException(ErrorCode.CONNECTOR_FAILED, options.name() + " failed " + failures
                    + " times in a row; next start in " + Duration.between(now, notBefore).toMillis() + " ms",
                    "run the server's command by hand to see its errors: " + String.join(" ", options.command()));
            }
            failures++;
            Duration wait = failures <= 1 ? Duration.ZERO : FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 2, 10));
            notBefore = now.plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait);
            LOG.info("{} ended; starting it again (failure {} in a row)", options.name(), failures);
            StdioMcpClient started = StdioMcpClient.start(options);
            try {
                List<Tool> listed = list(started);
                client = started;
                update(listed);
                return started;
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
        }
    }

    /** A call was answered after a restart: the backoff starts over. */
    private synchronized void recovered() {
        failures = 0;
        notBefore = Instant.MIN;
    }

    /** Lists the tools again (after {@code tools/list_changed}) and replaces the registrations if they changed. */
    private void refresh() {
        try {
            StdioMcpClient c = client;
            if (c.alive()) {
                update(list(c));
            }
        } catch (RuntimeException e) {
            LOG.warn("{} said its tools changed, but listing them failed: {}", options.name(), e.getMessage());
        }
    }

    private synchronized void update(List<Tool> listed) {
        if (listed.equals(tools)) {
            return;
        }
        tools = listed;
        for (Registration r : registrations) {
            apply(r, listed);
        }
    }

    private List<Tool> list(StdioMcpClient c) {
        List<Tool> out = new ArrayList<>();
        for (JsonNode t : c.listTools()) {
            String name = t.path("name").asText("");
            if (!TOOL_NAME.matcher(name).matches()) {
                LOG.warn("{} lists a tool named '{}', which is not a valid MCP tool name; left out", options.name(), name);
                continue;
            }
            JsonNode schema = t.get("inputSchema");
            if (schema == null || !schema.isObject()) {
                schema = CanonicalJson.MAPPER.createObjectNode().put("type", "object");
            }
            out.add(new Tool(name, t.path("description").asText(null), schema));
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        closed = true;
        refresher.shutdownNow();
        StdioMcpClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
