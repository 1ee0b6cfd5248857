package dev.cloned.gateway.connectors;

import dev.cloned.gateway.mcp.ProjectSchemaValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.connectors.InstalledConnector;
import dev.cloned.runtime.connectors.ServerSpec;
import dev.cloned.runtime.redact.Redactor;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One connector's MCP server process over stdio: started on first use with the environment it is given (and nothing
 * inherited beyond the SDK's PATH/HOME-like basics), restarted after a crash with a growing backoff, and stopped on
 * disable. A call whose process dies fails at once with {@link ErrorCode#CONNECTOR_FAILED}.
 */
final class ConnectorProcess {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorProcess.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

    private final String id;
    private final Function<InstalledConnector, Map<String, String>> environment;
    private final java.util.function.Supplier<InstalledConnector> loader;
    private final java.util.function.Supplier<Redactor> redactor;
    private final Clock clock;
    private final Duration timeout;

    private Running running;
    private int crashes;
    private Instant notBefore = Instant.MIN;

    /** A started server: its client, process and the tool names it offers. */
    private record Running(McpAsyncClient client, ProcessHandle process, Set<String> tools) {
    }

    /**
     * @param loader loads (and re-verifies) the installed connector before each start
     * @param environment the complete environment of a new process (proxy, secrets), built at start
     */
    ConnectorProcess(String id, java.util.function.Supplier<InstalledConnector> loader,
                     Function<InstalledConnector, Map<String, String>> environment, java.util.function.Supplier<Redactor> redactor,
                     Clock clock,
                     Duration timeout) {
        this.id = id;
        this.loader = loader;
        this.environment = environment;
        this.redactor = redactor;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Calls tool {@code mcpName} with {@code input}; returns {@code {text, content, structured}}. */
    JsonNode call(String mcpName, JsonNode input) throws Exception {
        Running r = ensureStarted();
        if (!r.tools().contains(mcpName)) {
            throw failure("the server of " + id + " does not offer tool " + mcpName + " (it offers " + r.tools() + ")");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> args = JSON.convertValue(input, Map.class);
        CompletableFuture<McpSchema.CallToolResult> call = r.client()
            .callTool(McpSchema.CallToolRequest.builder(mcpName).arguments(args).build()).toFuture();
        CompletableFuture<ProcessHandle> exit = r.process().onExit();
        try {
            CompletableFuture.anyOf(call, exit).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw failure("tool " + mcpName + " of " + id + " did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            // the call failed; examined below together with the process state
        }
        if (call.isDone() && !call.isCompletedExceptionally()) {
            synchronized (this) {
                crashes = 0;
            }
            return toJson(mcpName, call.join());
        }
        if (call.isCompletedExceptionally()) {
            awaitExit(exit); // a transport error usually means the process is going away: let it finish
        }
        if (!r.process().isAlive()) {
            crashed(r);
            throw failure("the process of connector " + id + " (pid " + r.process().pid() + ") exited during the call to "
                + mcpName + "; it is restarted on next use");
        }
        Throwable cause = unwrap(call);
        throw failure("tool " + mcpName + " of " + id + " failed: " + message(cause));
    }

    /** Its state now: the process (if one was started), and the failures in a row with the time left before a retry. */
    synchronized ConnectorSupervisor.ProcessHealth health() {
        Instant now = clock.instant();
        Duration retryIn = now.isBefore(notBefore) ? Duration.between(now, notBefore) : Duration.ZERO;
        if (running == null) {
            return new ConnectorSupervisor.ProcessHealth(true, null, false, crashes, retryIn);
        }
        return new ConnectorSupervisor.ProcessHealth(true, running.process().pid(), running.process().isAlive(), crashes,
            retryIn);
    }

    /** The running process, if any. */
    synchronized Optional<ProcessHandle> process() {
        return running == null || !running.process().isAlive() ? Optional.empty() : Optional.of(running.process());
    }

    /** Stops the process (if running) and forgets any backoff. */
    synchronized void stop() {
        if (running != null) {
            shutdown(running);
            running = null;
        }
        crashes = 0;
        notBefore = Instant.MIN;
    }

    private synchronized Running ensureStarted() {
        if (running != null && running.process().isAlive()) {
            return running;
        }
        if (running != null) {
            crashed(running);
        }
        Instant now = clock.instant();
        if (now.isBefore(notBefore)) {
            throw failure("connector " + id + " failed " + crashes + " times in a row; next start in "
                + Duration.between(now, notBefore).toMillis() + " ms");
        }
        try {
            running = start();
            return running;
        } catch (ClonedException e) {
            // A vault that is down is not a crashing connector: no backoff, the next call tries the vault again.
            if (e.code() != ErrorCode.VAULT_UNAVAILABLE && e.code() != ErrorCode.SECRET_NOT_FOUND) {
                markFailure();
            }
            throw e;
        } catch (RuntimeException e) {
            markFailure();
            throw failure("cannot start connector " + id + ": " + message(e));
        }
    }

    private Running start() {
        InstalledConnector c = loader.get();
        List<String> cmd = c.server().resolvedCommand(c.directory(), ServerSpec.currentJava());
        ServerParameters params = ServerParameters.builder(cmd.get(0)).args(cmd.subList(1, cmd.size()))
            .env(environment.apply(c)).build();
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(JSON);
        MinimalEnvTransport transport = new MinimalEnvTransport(params, mapper, c.directory());
        transport.setStdErrorHandler(line -> LOG.info("[{}] {}", id, redactor.get().redact(line)));
        McpAsyncClient client = McpClient.async(transport).jsonSchemaValidator(new ProjectSchemaValidator())
            .clientInfo(new McpSchema.Implementation("cloned-gateway", "1"))
            .requestTimeout(timeout).initializationTimeout(timeout).build();
        try {
            initialize(client, transport);
            ProcessHandle process = transport.process().toHandle();
            Set<String> tools = client.listTools().block(timeout).tools().stream().map(McpSchema.Tool::name)
                .collect(Collectors.toUnmodifiableSet());
            LOG.debug("connector {} started (pid {}), tools {}", id, process.pid(), tools);
            return new Running(client, process, tools);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Initializes, but fails as soon as the process exits: the SDK would wait for the whole timeout for an answer
     * from a server that exited at start (a wrong command, a missing runtime).
     */
    private void initialize(McpAsyncClient client, MinimalEnvTransport transport) {
        CompletableFuture<McpSchema.InitializeResult> init = client.initialize().toFuture();
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process = transport.processOrNull();
        while (process == null && !init.isDone() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(5_000_000L); // the SDK starts the process on its own thread, just after subscribe
            process = transport.processOrNull();
        }
        try {
            if (process != null) {
                CompletableFuture.anyOf(init, process.onExit()).get(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            }
            if (!init.isDone() && process != null && !process.isAlive()) {
                throw failure("the process of connector " + id + " exited with code " + process.exitValue()
                    + " before it answered initialize; its stderr is in the gateway log");
            }
            init.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw failure("connector " + id + " did not initialize within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                : new IllegalStateException(message(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while starting connector " + id);
        }
    }

    private synchronized void crashed(Running r) {
        if (running == r) {
            shutdown(r);
            running = null;
            markFailure();
        }
    }

    /** First failure: restart at once on next use; then 250 ms, 500 ms, ... up to 30 s. */
    private void markFailure() {
        crashes++;
        Duration wait = crashes <= 1 ? Duration.ZERO
            : FIRST_BACKOFF.multipliedBy(1L << Math.min(crashes - 2, 10));
        notBefore = clock.instant().plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait);
    }

    private static void shutdown(Running r) {
        try {
            r.client().close();
        } catch (RuntimeException ignored) {
            // the process is destroyed below either way
        }
        r.process().destroy();
    }

    private JsonNode toJson(String tool, McpSchema.CallToolResult result) {
        StringBuilder text = new StringBuilder();
        for (McpSchema.Content content : result.content()) {
            if (content instanceof McpSchema.TextContent t) {
                text.append(text.length() == 0 ? "" : "\n").append(t.text());
            }
        }
        if (Boolean.TRUE.equals(result.isError())) {
            throw new ToolError(id + " " + tool + ": " + redactor.get().redact(text.toString()));
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("text", text.toString());
        out.set("content", JSON.valueToTree(result.content()));
        if (result.structuredContent() != null) {
            out.set("structured", JSON.valueToTree(result.structuredContent()));
        }
        return redactor.get().redact(out);
    }

    private ClonedException failure(String message) {
        return new ClonedException(ErrorCode.CONNECTOR_FAILED, ErrorCode.CONNECTOR_FAILED.code() + ": "
            + redactor.get().redact(message),
            "check the connector with `cloned connectors verify " + id + "`; its stderr is in the gateway log");
    }

    private static void awaitExit(CompletableFuture<ProcessHandle> exit) {
        try {
            exit.get(500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still alive: the failure is the tool's, not the process's
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Throwable unwrap(CompletableFuture<?> f) {
        try {
            f.join();
            return new IllegalStateException("no error");
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** A tool that answered with {@code isError}: a failed call, not a broken connector. */
    static final class ToolError extends RuntimeException {
        ToolError(String message) {
            super(message);
        }
    }

    /**
     * The SDK's stdio transport, but the child starts from an empty environment (the SDK adds only its
     * PATH/HOME-like basics and the variables we pass) in the installed package directory.
     */
    private static final class MinimalEnvTransport extends StdioClientTransport {
        private final Path directory;

        MinimalEnvTransport(ServerParameters params, JacksonMcpJsonMapper mapper, Path directory) {
            super(params, mapper);
            this.directory = directory;
        }

        @Override
        protected ProcessBuilder getProcessBuilder() {
            ProcessBuilder pb = new ProcessBuilder();
            pb.environment().clear();
            pb.directory(directory.toFile());
            return pb;
        }

        /** The started process. The SDK keeps it private; the version is pinned and a test covers this. */
        Process process() {
            Process p = processOrNull();
            if (p == null) {
                throw new IllegalStateException("the MCP stdio transport has not started the connector process");
            }
            return p;
        }

        /** The process once the SDK has started it, else null. */
        Process processOrNull() {
            try {
                Field f = StdioClientTransport.class.getDeclaredField("process");
                f.setAccessible(true);
                return (Process) f.get(this);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot find the connector process in the MCP stdio transport", e);
            }
        }
    }
}
