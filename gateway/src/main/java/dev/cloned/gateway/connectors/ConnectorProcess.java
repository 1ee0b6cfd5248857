package dev.cloned.gateway.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.mcp.StdioMcpClient;
import dev.cloned.runtime.connectors.InstalledConnector;
import dev.cloned.runtime.connectors.ServerSpec;
import dev.cloned.runtime.redact.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One connector's MCP server process over stdio ({@link StdioMcpClient}): started on first use with the environment it
 * is given (and nothing inherited beyond PATH, HOME and the like), restarted after a crash with a growing backoff, and
 * stopped on disable. A call whose process dies fails at once with {@link ErrorCode#CONNECTOR_FAILED}.
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
    private record Running(StdioMcpClient client, Set<String> tools) {
        ProcessHandle process() {
            return client.process();
        }
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
    JsonNode call(String mcpName, JsonNode input) {
        Running r = ensureStarted();
        if (!r.tools().contains(mcpName)) {
            throw failure("the server of " + id + " does not offer tool " + mcpName + " (it offers " + r.tools() + ")");
        }
        JsonNode result;
        try {
            result = r.client().callTool(mcpName, input);
        } catch (ClonedException e) {
            if (!r.client().alive()) { // the process exited (or broke the protocol and was stopped)
                crashed(r);
                throw failure("the process of connector " + id + " (pid " + r.process().pid() + ") exited during the"
                    + " call to " + mcpName + "; it is restarted on next use (" + e.getMessage() + ")");
            }
            throw failure("tool " + mcpName + " of " + id + " failed: " + e.getMessage()); // late, or a JSON-RPC error
        }
        synchronized (this) {
            crashes = 0;
        }
        return toJson(mcpName, result);
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
        Map<String, String> env = StdioMcpClient.baseEnvironment(System.getenv());
        env.putAll(environment.apply(c));
        StdioMcpClient client = StdioMcpClient.start(StdioMcpClient.Options.of("connector " + id, cmd, timeout)
            .withProcess(env, c.directory())
            .withStderr(line -> LOG.info("[{}] {}", id, redactor.get().redact(line))));
        try {
            Set<String> tools = client.listTools().stream().map(t -> t.path("name").asText())
                .collect(Collectors.toUnmodifiableSet());
            LOG.debug("connector {} started (pid {}), tools {}", id, client.process().pid(), tools);
            return new Running(client, tools);
        } catch (RuntimeException e) {
            client.close();
            throw e;
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
        r.client().close(); // closes stdin, then stops the process if it lingers
    }

    private JsonNode toJson(String tool, JsonNode result) {
        StringBuilder text = new StringBuilder();
        JsonNode content = result.path("content");
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText())) {
                text.append(text.length() == 0 ? "" : "\n").append(block.path("text").asText());
            }
        }
        if (result.path("isError").asBoolean(false)) {
            throw new ToolError(id + " " + tool + ": " + redactor.get().redact(text.toString()));
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("text", text.toString());
        out.set("content", content.isArray() ? content : JSON.createArrayNode());
        JsonNode structured = result.get("structuredContent");
        if (structured != null && !structured.isNull()) {
            out.set("structured", structured);
        }
        return redactor.get().redact(out);
    }

    private ClonedException failure(String message) {
        return new ClonedException(ErrorCode.CONNECTOR_FAILED, ErrorCode.CONNECTOR_FAILED.code() + ": "
            + redactor.get().redact(message),
            "check the connector with `cloned connectors verify " + id + "`; its stderr is in the gateway log");
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
}
