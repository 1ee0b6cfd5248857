package dev.cloned.gateway.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * An MCP client for a server started as a child process, speaking JSON-RPC over its stdin and stdout (one message per
 * line, as the MCP stdio transport defines). It does what the gateway needs of an upstream and nothing more: the
 * {@code initialize} handshake, {@code tools/list} (all pages) and {@code tools/call}.
 *
 * <p>A request is written on the calling thread and the caller waits for its answer ({@link #callTool}), or gets a
 * future ({@link #callToolAsync}, for a thread that must not block); one reader thread per server reads every line
 * and completes the waiting call by its id. That is one thread hand-off per call, where the MCP Java
 * SDK's client takes several (docs/performance.md measures the difference). The reader also answers the server's own
 * requests ({@code ping}; anything else is refused with "method not found", since this client offers no client
 * capabilities) and hands {@code notifications/tools/list_changed} to a listener.
 *
 * <p>Failures are {@link ErrorCode#CONNECTOR_FAILED} with the cause in words: a call that is not answered in time is
 * cancelled ({@code notifications/cancelled}) and fails; when the server exits, or writes a message larger than the
 * limit, every waiting call fails at once and so does every later one ({@link #alive()} turns false).
 */
public final class StdioMcpClient implements AutoCloseable {
    /**
     * The variables a server gets from the gateway's environment without being given them: what a program needs to
     * find its runtime, home, locale and temporary directory. Nothing else is inherited (the gateway's environment may
     * hold a vault credential).
     */
    public static final List<String> BASE_ENVIRONMENT = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM",
        "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR");
    /** The MCP versions this client can speak, preferred first (tools/list and tools/call are the same in all). */
    public static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    /**
     * The largest message accepted from a server by default: tool results may carry images. Below Jackson's default
     * cap on one string (20 M chars), so a message within the limit always parses.
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(StdioMcpClient.class);
    private static final int MAX_STDERR_LINE = 8 * 1024;
    private static final int MAX_PAGES = 1000;
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /**
     * The unread bytes a write may leave in the server's stdin pipe when it is made on a thread that must not block
     * (an event loop): a pipe holds 16 KiB at least on Linux (64 KiB by default) and macOS, so such a write cannot
     * wait for the server to read. Known as read: everything up to a request the server has answered.
     */
    static final int UNBLOCKED_WRITE_ROOM = 16 * 1024;
    /** How often asynchronous requests are checked for their timeout (one sweep thread for every client). */
    static final Duration TIMEOUT_TICK = Duration.ofMillis(50);
    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mcp-stdio-timeouts");
        t.setDaemon(true);
        return t;
    });

    /**
     * How to start and talk to one server.
     *
     * @param name what error messages call the server, e.g. {@code upstream everything}
     * @param command the program and its arguments
     * @param environment the child's complete environment, or null to inherit the gateway's
     * @param directory the child's working directory, or null for the gateway's
     * @param timeout how long to wait for any answer, the handshake included
     * @param maxMessageBytes the largest message (one line) accepted from the server
     * @param stderr receives each line the server writes to stderr, and its {@code notifications/message} log
     *               messages (as {@code [level] text}); called on the client's threads, must not block
     * @param toolsChanged called on the reader thread when the server sends {@code notifications/tools/list_changed};
     *                     must not block (and must not call the client from that thread)
     */
    public record Options(String name, List<String> command, Map<String, String> environment, Path directory,
                          Duration timeout, int maxMessageBytes, Consumer<String> stderr, Runnable toolsChanged) {
        public Options {
            Objects.requireNonNull(name, "name");
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("the command of " + name + " is empty");
            }
            environment = environment == null ? null : Map.copyOf(environment);
            Objects.requireNonNull(timeout, "timeout");
            if (maxMessageBytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive, not " + maxMessageBytes);
            }
            stderr = stderr == null ? line -> { } : stderr;
            toolsChanged = toolsChanged == null ? () -> { } : toolsChanged;
        }

        /** Inherited environment and directory, the default message limit, stderr dropped, no listener. */
        public static Options of(String name, List<String> command, Duration timeout) {
            return new Options(name, command, null, null, timeout, DEFAULT_MAX_MESSAGE_BYTES, null, null);
        }

        public Options withStderr(Consumer<String> sink) {
            return new Options(name, command, environment, directory, timeout, maxMessageBytes, sink, toolsChanged);
        }

        public Options withToolsChanged(Runnable listener) {
            return new Options(name, command, environment, directory, timeout, maxMessageBytes, stderr, listener);
        }

        public Options withProcess(Map<String, String> env, Path dir) {
            return new Options(name, command, env, dir, timeout, maxMessageBytes, stderr, toolsChanged);
        }

        public Options withMaxMessageBytes(int max) {
            return new Options(name, command, environment, directory, timeout, max, stderr, toolsChanged);
        }
    }

    /** The {@linkplain #BASE_ENVIRONMENT base variables} that are set in {@code from}. */
    public static Map<String, String> baseEnvironment(Map<String, String> from) {
        Map<String, String> env = new java.util.TreeMap<>();
        for (String name : BASE_ENVIRONMENT) {
            if (from.get(name) != null) {
                env.put(name, from.get(name));
            }
        }
        return env;
    }

    private final Options options;
    private final Process process;
    private final OutputStream stdin;
    private final ReentrantLock writeLock = new ReentrantLock();
    private long written; // bytes written to the server's stdin; guarded by writeLock
    private final AtomicLong readThrough = new AtomicLong(); // the server has read its stdin at least this far
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    /** Writes what a thread that must not block could not (its thread starts on first use), and sends cancellations. */
    private final ExecutorService writer;
    /** The timeout sweep, started by the first asynchronous call (a client called only synchronously needs none). */
    private volatile ScheduledFuture<?> sweep; // set under sweepLock
    private final Object sweepLock = new Object();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile ClonedException end; // why the session is over; null while it is open
    private volatile String protocolVersion;
    private volatile JsonNode serverInfo;

    private StdioMcpClient(Options options, Process process) {
        this.options = options;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mcp-stdio-writer-" + process.pid());
            t.setDaemon(true);
            return t;
        });
    }

    private void sweepWhileOpen() {
        synchronized (sweepLock) {
            if (sweep == null && end == null) { // end() cancels under this lock after setting end
                sweep = TIMEOUTS.scheduleWithFixedDelay(this::sweepLate, TIMEOUT_TICK.toNanos(),
                    TIMEOUT_TICK.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** A request written (or being written) and not answered yet. */
    private static final class Pending {
        final CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        /** When the timeout sweep fails it ({@code System.nanoTime}); {@code Long.MAX_VALUE}: its caller times it. */
        final long deadline;
        /** The stdin offset just past the request, set before it is written. */
        volatile long end = Long.MAX_VALUE;

        Pending(long deadline) {
            this.deadline = deadline;
        }
    }

    /** Fails the asynchronous requests whose time is up (their futures' handlers send the cancellation). */
    private void sweepLate() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (p.deadline != Long.MAX_VALUE && now - p.deadline >= 0 && pending.remove(e.getKey(), p)) {
                p.answer.completeExceptionally(new TimeoutException());
            }
        }
    }

    /**
     * Starts the server and completes the handshake. Fails with {@link ErrorCode#CONNECTOR_FAILED}, the child stopped,
     * when the command cannot start, exits early (at once, not after the timeout), answers with an error or with a
     * protocol version this client does not speak.
     */
    public static StdioMcpClient start(Options options) {
        ProcessBuilder pb = new ProcessBuilder(options.command());
        if (options.environment() != null) {
            pb.environment().clear();
            pb.environment().putAll(options.environment());
        }
        if (options.directory() != null) {
            pb.directory(options.directory().toFile());
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.CONNECTOR_FAILED, "cannot start " + options.name() + " ("
                + options.command().get(0) + "): " + e.getMessage(),
                "check that the command exists, is executable and is on the PATH", e);
        }
        StdioMcpClient client = new StdioMcpClient(options, process);
        client.startThreads();
        try {
            client.initialize();
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Whether the session is open: the server runs and has broken no rule of the protocol. */
    public boolean alive() {
        return end == null;
    }

    /** Completes when the session ends, for whatever reason. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** The server process. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** The protocol version agreed in the handshake. */
    public String protocolVersion() {
        return protocolVersion;
    }

    /** The server's {@code serverInfo} from the handshake (an empty object when it sent none). */
    public JsonNode serverInfo() {
        return serverInfo;
    }

    /** Every tool the server lists, following {@code nextCursor} to the last page. */
    public List<JsonNode> listTools() {
        List<JsonNode> tools = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            ObjectNode params = CanonicalJson.MAPPER.createObjectNode();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            JsonNode r = request("tools/list", CanonicalJson.write(params));
            JsonNode list = r.get("tools");
            if (list == null || !list.isArray()) {
                throw failure(options.name() + " answered tools/list without a tools array", null);
            }
            list.forEach(tools::add);
            JsonNode next = r.get("nextCursor");
            if (next == null || next.isNull()) {
                return tools;
            }
            cursor = next.asText();
            if (!cursors.add(cursor)) {
                throw failure(options.name() + " answered tools/list with cursor " + cursor + " twice; its tool list"
                    + " never ends", null);
            }
        }
        throw failure(options.name() + " listed more than " + MAX_PAGES + " pages of tools", null);
    }

    /**
     * Calls a tool; returns the server's {@code CallToolResult} as it sent it ({@code isError} is the caller's to
     * read: a tool that failed is not a broken server).
     */
    public JsonNode callTool(String tool, JsonNode arguments) {
        return request("tools/call", callParams(tool, arguments));
    }

    /**
     * Calls a tool without waiting: the request is written on this thread only when that cannot block (see
     * {@link #UNBLOCKED_WRITE_ROOM}), else by the client's writer thread; the future completes on the reader thread
     * (or, when the server is late, on the client's timeout sweep, within {@link #TIMEOUT_TICK} of the timeout). It
     * fails with {@link ErrorCode#CONNECTOR_FAILED} where {@link #callTool} throws.
     */
    public CompletableFuture<JsonNode> callToolAsync(String tool, JsonNode arguments) {
        String method = "tools/call";
        long id = ids.incrementAndGet();
        Pending p = new Pending(System.nanoTime() + options.timeout().toNanos());
        byte[] bytes;
        try {
            bytes = open(id, p, method, callParams(tool, arguments));
            if (sweep == null) {
                sweepWhileOpen();
            }
            if (!write(bytes, p, false)) {
                writer.execute(() -> {
                    try {
                        write(bytes, p, true);
                    } catch (ClonedException e) {
                        pending.remove(id);
                        p.answer.completeExceptionally(e);
                    }
                });
            }
        } catch (ClonedException e) {
            pending.remove(id);
            return CompletableFuture.failedFuture(e);
        } catch (java.util.concurrent.RejectedExecutionException e) { // closed between the check and the write
            pending.remove(id);
            return CompletableFuture.failedFuture(failure(options.name() + " was stopped by the gateway", e));
        }
        return p.answer.handle((message, failed) -> {
            if (failed != null) {
                Throwable c = ClonedException.unwrap(failed);
                if (c instanceof TimeoutException) {
                    onWriter(() -> abandon(id, method, "timed out after " + options.timeout().toMillis() + " ms"));
                    throw failure(options.name() + " did not answer " + method + " within "
                        + seconds(options.timeout()), null);
                }
                throw c instanceof ClonedException ce ? failure(ce.getMessage(), ce) : failure(c.toString(), c);
            }
            return result(method, message);
        });
    }

    private static String callParams(String tool, JsonNode arguments) {
        StringBuilder params = new StringBuilder(64 + tool.length()).append("{\"name\":");
        CanonicalJson.quote(params, tool);
        params.append(",\"arguments\":");
        CanonicalJson.write(params, arguments == null || arguments.isNull() ? CanonicalJson.MAPPER.createObjectNode()
            : arguments);
        return params.append('}').toString();
    }

    /**
     * Sends a request whose params are already JSON text and waits for its result object. Fails when the answer is a
     * JSON-RPC error, is late (the request is then cancelled), or the session ends first.
     */
    JsonNode request(String method, String paramsJson) {
        long id = ids.incrementAndGet();
        Pending p = new Pending(Long.MAX_VALUE); // this thread times it out itself
        try {
            write(open(id, p, method, paramsJson), p, true);
        } catch (ClonedException e) {
            pending.remove(id);
            throw e;
        }
        JsonNode message;
        try {
            message = p.answer.get(options.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(id, method, "timed out after " + options.timeout().toMillis() + " ms");
            throw failure(options.name() + " did not answer " + method + " within " + seconds(options.timeout()), null);
        } catch (InterruptedException e) {
            abandon(id, method, "the gateway stopped waiting");
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for " + options.name() + " to answer " + method, e);
        } catch (ExecutionException e) {
            throw failure(e.getCause().getMessage(), e.getCause());
        }
        return result(method, message);
    }

    /** Registers a request as waiting and renders it; fails when the session is over. */
    private byte[] open(long id, Pending p, String method, String paramsJson) {
        pending.put(id, p);
        ClonedException over = end;
        if (over != null) { // ended before the put was seen: nobody else fails this request
            throw failure(over.getMessage(), over);
        }
        return ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson
            + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The result object of an answer, or the failure it reports. */
    private JsonNode result(String method, JsonNode message) {
        JsonNode error = message.get("error");
        if (error != null) {
            throw failure(options.name() + " answered " + method + " with error " + error.path("code").asText("?")
                + ": " + error.path("message").asText(""), null);
        }
        JsonNode result = message.get("result");
        if (result == null || !result.isObject()) {
            throw failure(options.name() + " answered " + method + " without a result object", null);
        }
        return result;
    }

    /** Ends the session: stdin is closed (a server exits on EOF), then the process is stopped if it lingers. */
    @Override
    public void close() {
        end(new ClonedException(ErrorCode.CONNECTOR_FAILED, options.name() + " was stopped by the gateway"));
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process is destroyed below either way
        }
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(false);
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    stop(true);
                }
            }
        } catch (InterruptedException e) {
            stop(true);
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the process and what it started (a launcher such as {@code npx} or {@code sh -c} runs the server as its
     * child, which stopping the launcher alone would leave running).
     */
    private void stop(boolean force) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        for (ProcessHandle p : tree) {
            if (force) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
        }
    }

    private void initialize() {
        ObjectNode params = CanonicalJson.MAPPER.createObjectNode().put("protocolVersion", PROTOCOL_VERSIONS.get(0));
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "cloned-gateway").put("version", "0.1.0");
        JsonNode r;
        try {
            r = request("initialize", CanonicalJson.write(params));
        } catch (ClonedException e) {
            if (!alive() && !process.isAlive()) { // say so at once: waiting out the timeout would tell nothing more
                throw failure(options.name() + " exited with code " + process.exitValue() + " before it answered"
                    + " initialize; its stderr is in the gateway log when logging is on", e);
            }
            throw e;
        }
        String version = r.path("protocolVersion").asText("");
        if (!PROTOCOL_VERSIONS.contains(version)) {
            throw failure(options.name() + " speaks MCP version '" + version + "'; the gateway speaks "
                + String.join(", ", PROTOCOL_VERSIONS), null);
        }
        protocolVersion = version;
        serverInfo = r.path("serverInfo").isObject() ? r.get("serverInfo") : CanonicalJson.MAPPER.createObjectNode();
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    private void startThreads() {
        Thread reader = new Thread(this::readLoop, "mcp-stdio-reader-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(this::stderrLoop, "mcp-stdio-stderr-" + process.pid());
        errors.setDaemon(true);
        errors.start();
    }

    /** Writes one message as one line, waiting for room if need be; a server that cannot be written to has ended. */
    private void send(String json) {
        write(json.getBytes(StandardCharsets.UTF_8), null, true);
    }

    /**
     * Writes one message as one line. When {@code mayBlock} is false, writes only if the write lock is free and the
     * message fits in {@link #UNBLOCKED_WRITE_ROOM} beside what the server may not have read yet, and returns whether
     * it wrote; the caller then hands the write to a thread that may wait. {@code p}, when not null, is the request
     * being written: the stdin offset just past it is noted so its answer tells how far the server has read.
     */
    private boolean write(byte[] bytes, Pending p, boolean mayBlock) {
        if (mayBlock) {
            writeLock.lock();
        } else if (!writeLock.tryLock()) {
            return false;
        }
        try {
            long after = written + bytes.length + 1;
            if (!mayBlock && after - readThrough.get() > UNBLOCKED_WRITE_ROOM) {
                return false;
            }
            if (p != null) {
                p.end = after;
            }
            stdin.write(bytes);
            stdin.write('\n');
            stdin.flush();
            written = after;
            return true;
        } catch (IOException e) {
            if (!mayBlock) { // finding the exit code may wait: not on this thread
                onWriter(() -> end(exited("its stdin closed (" + e.getMessage() + ")")));
                throw failure(options.name() + " ended: its stdin closed (" + e.getMessage() + ")", null);
            }
            ClonedException reason = exited("its stdin closed (" + e.getMessage() + ")");
            end(reason);
            throw failure(reason.getMessage(), reason);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code task} on the writer thread, or not at all once the session is over (the writer is then shut). */
    private void onWriter(Runnable task) {
        try {
            writer.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // ended: nothing left to write or to end
        }
    }

    /** The caller gave up on a request: forget it and ask the server to stop working on it. */
    private void abandon(long id, String method, String reason) {
        pending.remove(id);
        if (alive() && !"initialize".equals(method)) { // the handshake must not be cancelled
            ObjectNode params = CanonicalJson.MAPPER.createObjectNode().put("requestId", id).put("reason", reason);
            try {
                send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
                    + CanonicalJson.write(params) + "}");
            } catch (ClonedException ignored) {
                // the server is gone: nothing to cancel
            }
        }
    }

    private void readLoop() {
        Lines lines = new Lines(options.maxMessageBytes(), false);
        try (InputStream in = process.getInputStream()) {
            byte[] chunk = new byte[64 * 1024];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (!lines.feed(chunk, n, this::dispatch)) {
                    ClonedException reason = failure(options.name() + " sent a message over the limit of "
                        + options.maxMessageBytes() + " bytes; it was stopped",
                        null);
                    end(reason);
                    stop(true);
                    return;
                }
            }
            end(exited("it closed its stdout"));
        } catch (IOException e) {
            end(exited("reading its stdout failed (" + e.getMessage() + ")"));
        } catch (RuntimeException e) {
            LOG.error("the reader of {} failed", options.name(), e);
            end(failure("the gateway's reader of " + options.name() + " failed: " + e, e));
            stop(true);
        }
    }

    private void dispatch(byte[] line, int length) {
        JsonNode m;
        try {
            m = CanonicalJson.MAPPER.readTree(line, 0, length);
        } catch (IOException e) {
            LOG.warn("{} wrote {} bytes to stdout that are not JSON; ignored (a stdio MCP server must write only"
                + " JSON-RPC messages there, logs go to stderr)", options.name(), length);
            return;
        }
        if (m == null || !m.isObject()) {
            LOG.warn("{} wrote a JSON value that is not a JSON-RPC message; ignored", options.name());
            return;
        }
        JsonNode method = m.get("method");
        JsonNode id = m.get("id");
        if (method == null) {
            answered(id, m);
        } else if (id == null || id.isNull()) {
            notified(method.asText(), m.path("params"));
        } else {
            requested(method.asText(), id);
        }
    }

    private void answered(JsonNode id, JsonNode message) {
        long key;
        if (id != null && id.canConvertToExactIntegral()) {
            key = id.asLong();
        } else if (id != null && id.isTextual() && id.asText().matches("\\d{1,18}")) {
            key = Long.parseLong(id.asText());
        } else {
            LOG.warn("{} sent an answer with id {} that no request of the gateway has; ignored", options.name(), id);
            return;
        }
        Pending waiting = pending.remove(key);
        if (waiting != null) {
            readThrough.accumulateAndGet(waiting.end, Math::max); // a pipe is read in order
            waiting.answer.complete(message);
        } else {
            LOG.debug("{} answered request {} after the gateway stopped waiting", options.name(), key);
        }
    }

    private void notified(String method, JsonNode params) {
        switch (method) {
            case "notifications/tools/list_changed" -> {
                try {
                    options.toolsChanged().run();
                } catch (RuntimeException e) {
                    LOG.warn("the tools/list_changed listener of {} failed", options.name(), e);
                }
            }
            case "notifications/message" -> options.stderr().accept("[" + params.path("level").asText("info") + "] "
                + (params.path("data").isTextual() ? params.path("data").asText() : params.path("data").toString()));
            default -> LOG.trace("{} sent {}; not used by the gateway", options.name(), method);
        }
    }

    /** A request from the server: this client offers no capabilities, so only {@code ping} has an answer. */
    private void requested(String method, JsonNode id) {
        String idJson = CanonicalJson.write(id);
        String reply = "ping".equals(method)
            ? "{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"result\":{}}"
            : "{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"error\":{\"code\":-32601,\"message\":"
                + CanonicalJson.write(CanonicalJson.MAPPER.getNodeFactory().textNode("method not found: " + method
                + " (the Cloned gateway's client offers no client capabilities)")) + "}}";
        try {
            send(reply);
        } catch (ClonedException ignored) {
            // the server is gone; the session has ended already
        }
    }

    private void stderrLoop() {
        Lines lines = new Lines(MAX_STDERR_LINE, true);
        try (InputStream in = process.getErrorStream()) {
            byte[] chunk = new byte[8 * 1024];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                lines.feed(chunk, n, (b, len) -> options.stderr().accept(new String(b, 0, len, StandardCharsets.UTF_8)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("stopped reading the stderr of {}: {}", options.name(), e.toString());
        }
    }

    /** Ends the session once: every waiting call fails with {@code reason}, and every later one. */
    private void end(ClonedException reason) {
        synchronized (ended) {
            if (end != null) {
                return;
            }
            end = reason;
        }
        synchronized (sweepLock) {
            if (sweep != null) {
                sweep.cancel(false);
            }
        }
        writer.shutdown(); // a write under way finishes or fails; nothing new is taken
        ended.complete(null); // before the waiting calls fail, so a caller that sees its failure sees the end
        for (Long id : List.copyOf(pending.keySet())) {
            Pending waiting = pending.remove(id);
            if (waiting != null) {
                waiting.answer.completeExceptionally(reason);
            }
        }
    }

    /** Why the session ended when the server went away, with its exit code once it has one. */
    private ClonedException exited(String how) {
        String code = "";
        try {
            if (process.waitFor(500, TimeUnit.MILLISECONDS)) {
                code = " and exited with code " + process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failure(options.name() + " ended: " + how + code + "; its stderr is in the gateway log when"
            + " logging is on", null);
    }

    private ClonedException failure(String message, Throwable cause) {
        return new ClonedException(ErrorCode.CONNECTOR_FAILED, message,
            "run the server's command by hand to see its errors: " + String.join(" ", options.command()), cause);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Splits a byte stream into lines (LF or CRLF) of at most {@code max} bytes. */
    static final class Lines {
        interface Sink {
            void line(byte[] bytes, int length);
        }

        private static final int KEEP = 64 * 1024;
        private final int max;
        private final boolean truncate;
        private byte[] buf = new byte[8 * 1024];
        private int len;
        private boolean skipping; // a line over the limit is being dropped to its end (truncate mode)

        Lines(int max, boolean truncate) {
            this.max = max;
            this.truncate = truncate;
        }

        /**
         * Feeds {@code n} bytes; calls {@code sink} for each complete non-empty line. Returns false when a line is
         * over the limit and this splitter does not truncate (the stream can no longer be trusted).
         */
        boolean feed(byte[] chunk, int n, Sink sink) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    if (!append(chunk, start, i - start, sink)) {
                        return false;
                    }
                    int l = len > 0 && buf[len - 1] == '\r' ? len - 1 : len;
                    if (l > 0 && !skipping) {
                        sink.line(buf, l);
                    }
                    len = 0;
                    if (buf.length > KEEP) {
                        buf = new byte[KEEP]; // one large message does not pin its buffer for the session's life
                    }
                    skipping = false;
                    start = i + 1;
                }
            }
            return append(chunk, start, n - start, sink);
        }

        private boolean append(byte[] chunk, int from, int count, Sink sink) {
            if (count == 0 || skipping) {
                return true;
            }
            if (len + count > max) {
                if (!truncate) {
                    return false;
                }
                int room = max - len;
                System.arraycopy(chunk, from, grow(max), len, room);
                sink.line(buf, max);
                skipping = true;
                len = 0;
                return true;
            }
            System.arraycopy(chunk, from, grow(len + count), len, count);
            len += count;
            return true;
        }

        private byte[] grow(int need) {
            if (need > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(max, Math.max(need, buf.length * 2)));
            }
            return buf;
        }
    }
}
