package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.auth.AuthFailures;
import dev.cloned.gateway.auth.AuthGuard;
import dev.cloned.gateway.auth.Device;
import dev.cloned.gateway.auth.DeviceRegistry;
import dev.cloned.gateway.auth.Scopes;
import dev.cloned.gateway.auth.Sessions;
import dev.cloned.gateway.mcp.McpFront;
import dev.cloned.gateway.mcp.VertxStreamableTransport;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.redact.Redactor;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The HTTP gateway: the API built from {@code docs/api/openapi.yaml} with the Vert.x OpenAPI router, the MCP front
 * on {@code /mcp}, server-sent events, and the security gate in front of all of it. It never closes the
 * {@link ClonedGateway}: the owner closes that last, after {@link #stop()} has drained in-flight calls.
 */
public final class HttpGateway {
    /** Classpath location of the contract (copied from docs/api/openapi.yaml at build time). */
    public static final String CONTRACT = "/openapi/openapi.yaml";

    /**
     * How to serve.
     *
     * @param benchUngovernedRoute also serve {@code POST /bench/echo-ungoverned}: the echo tool without policy, for
     *                             the benchmark's baseline only (never in production)
     */
    public record Options(String host, int port, long maxBodyBytes, int workers, boolean benchUngovernedRoute) {
        /** Defaults: 1 MiB bodies, 32 workers, no bench route. */
        public static Options of(String host, int port) {
            return new Options(host, port, 1 << 20, 32, false);
        }
    }

    private final Vertx vertx;
    private final ClonedGateway gw;
    private final Options options;
    private final Clock clock;
    private final Sessions sessions;
    private final DeviceRegistry devices;
    private final Blocking blocking;
    private final EventStream events;
    private final AtomicBoolean anyApproved = new AtomicBoolean();
    private final AtomicLong devicesVersion = new AtomicLong(Long.MIN_VALUE);
    private final AtomicBoolean draining = new AtomicBoolean();
    private HttpServer server;
    private McpFront mcp;
    private VertxStreamableTransport mcpTransport;
    private long timer;

    private HttpGateway(Vertx vertx, ClonedGateway gw, Options options, Clock clock) {
        this.vertx = vertx;
        this.gw = gw;
        this.options = options;
        this.clock = clock;
        this.sessions = new Sessions(clock);
        this.devices = new DeviceRegistry(gw.workspace(), clock);
        this.blocking = new Blocking(vertx, options.workers());
        this.events = new EventStream(vertx);
    }

    /** Starts serving; fails when a non-loopback address is asked for while no device is paired. */
    public static Future<HttpGateway> start(Vertx vertx, ClonedGateway gw, Options options, Clock clock) {
        HttpGateway g = new HttpGateway(vertx, gw, options, clock);
        return g.blocking.run(() -> {
            g.refreshDevices();
            gw.policy().current(); // compile (or load) the rules here, never on an event loop
            if (!AuthGuard.isLoopback(options.host()) && !g.anyApproved.get()) {
                throw new ClonedException(ErrorCode.FORBIDDEN, "refusing to listen on " + options.host()
                    + ": a non-loopback address needs authentication configured, and no device is paired yet",
                    "start on 127.0.0.1, pair a device (`cloned pair approve`), then restart with --host "
                        + options.host());
            }
            return contract();
        }).compose(doc -> OpenAPIContract.from(vertx, doc)).compose(g::listen).map(s -> g);
    }

    private Future<HttpServer> listen(OpenAPIContract contract) {
        gw.calls().onEvent(events::publish, events::wanted);
        AuthGuard guard = new AuthGuard(sessions, new AuthFailures(clock), anyApproved::get,
            () -> gw.policy().current().pack().allowedOrigins(), options.host());
        RouterBuilder rb = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
        // Vert.x requires the body handler first on the route the root handlers share; it only buffers (bounded).
        rb.rootHandler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()));
        rb.rootHandler(new SecurityHeaders());
        Redactor redactor = gw.redactor();
        rb.rootHandler(ctx -> {
            ctx.put(Problems.REDACTOR, redactor);
            if (draining.get()) {
                Problems.send(ctx, Problems.of(ErrorCode.INTERNAL, "the gateway is shutting down",
                    "retry against a running gateway").put("status", 503));
            } else {
                ctx.next();
            }
        });
        rb.rootHandler(guard);
        Function<ToolCallEnvelope, CallResult> calls = gw.calls()::call;
        new CallRoutes(gw, calls, blocking).mount(rb);
        new StateRoutes(gw, blocking, clock).mount(rb);
        new OpsRoutes(gw, blocking, options.host(), clock).mount(rb);
        new PairingRoutes(devices, sessions, guard, blocking, clock, this::devicesChanged).mount(rb);
        contract.operations().forEach(op -> BodyValidation.install(contract, rb.getRoute(op.getOperationId())));
        Routes.on(rb, "streamEvents", Scopes.READ, events::subscribe);
        Router router = rb.createRouter();
        mountExtras(router);
        timer = vertx.setPeriodic(2000, id -> blocking.run(() -> {
            refreshDevices();
            return null;
        }));
        return vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(options.port())
                .setMaxHeaderSize(16 * 1024).setMaxInitialLineLength(8 * 1024).setIdleTimeout(120))
            .requestHandler(router).listen().onSuccess(s -> server = s);
    }

    private void mountExtras(Router router) {
        String yaml = contractText();
        router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml")
            .end(yaml));
        mcpTransport = new VertxStreamableTransport(vertx, McpFront.JSON);
        mcp = McpFront.http(gw, this::counted, mcpTransport);
        router.route("/mcp").handler(AuthGuard.require(Scopes.CALL)).handler(mcpTransport::handle);
        if (options.benchUngovernedRoute()) {
            new BenchRoute(gw, blocking).mount(router);
        }
        router.route().failureHandler(Failures::handle);
        router.errorHandler(404, ctx -> Problems.send(ctx, ErrorCode.NOT_FOUND, "no such route: "
            + ctx.request().method() + " " + ctx.normalizedPath(), "see /openapi.yaml"));
        router.errorHandler(405, ctx -> Problems.send(ctx, Problems.of(ErrorCode.INVALID_INPUT,
            "method not allowed", null).put("status", 405)));
    }

    /**
     * Governed calls from MCP, counted so shutdown can drain them: decided on the thread the SDK calls from (the
     * request's event loop), what may block on the continuation pool, as for {@code POST /v1/tool-calls}.
     */
    private CompletionStage<CallResult> counted(ToolCallEnvelope env) {
        Executor after = Context.isOnEventLoopThread() ? Blocking.onThisLoop() : blocking.continuations();
        return blocking.countedStage(() -> gw.calls().callNonBlocking(env, blocking.continuations(), after));
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.actualPort();
    }

    /** The one-time bootstrap token (print it once; never log it). */
    public String bootstrapToken() {
        return sessions.bootstrapToken();
    }

    /** The MCP front served on {@code /mcp}; it follows registry and pack changes on its own. */
    public McpFront mcp() {
        return mcp;
    }

    /** The Streamable HTTP transport of {@code /mcp} (open sessions and listening streams). */
    public VertxStreamableTransport mcpTransport() {
        return mcpTransport;
    }

    /** Stops taking requests, waits for in-flight calls, then closes the server; the caller closes the gateway. */
    public Future<Void> stop() {
        draining.set(true);
        events.close();
        if (mcpTransport != null) {
            mcpTransport.shutdown(); // ends the MCP listening streams; calls in flight finish
        }
        vertx.cancelTimer(timer);
        return blocking.drain().compose(v -> server == null ? Future.succeededFuture() : server.close())
            .compose(v -> {
                mcp.close();
                return blocking.close();
            });
    }

    private void devicesChanged() {
        devicesVersion.set(Long.MIN_VALUE);
        refreshDevices();
    }

    private void refreshDevices() {
        long v = devices.version();
        if (v == devicesVersion.get()) {
            return;
        }
        List<Device> all = devices.list();
        anyApproved.set(all.stream().anyMatch(Device::approved));
        sessions.retainDevices(all.stream().filter(Device::approved).map(Device::id).toList());
        devicesVersion.set(v);
    }

    private static JsonObject contract() throws IOException {
        JsonNode tree = Workspace.YAML.readTree(contractText());
        // The Vert.x 4.5 router refuses response media types other than JSON (problem+json, event-stream, text).
        // Responses are not validated by the router, so its copy drops those media types; /openapi.yaml keeps them.
        tree.path("paths").forEach(path -> path.forEach(op -> op.path("responses").forEach(HttpGateway::jsonOnly)));
        tree.path("components").path("responses").forEach(HttpGateway::jsonOnly);
        return new JsonObject(CanonicalJson.MAPPER.writeValueAsString(tree));
    }

    private static void jsonOnly(JsonNode response) {
        if (response.get("content") instanceof com.fasterxml.jackson.databind.node.ObjectNode) {
            com.fasterxml.jackson.databind.node.ObjectNode content =
                (com.fasterxml.jackson.databind.node.ObjectNode) response.get("content");
            content.retain("application/json");
            if (content.isEmpty()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) response).remove("content");
            }
        }
    }

    private static String contractText() {
        try (InputStream in = HttpGateway.class.getResourceAsStream(CONTRACT)) {
            if (in == null) {
                throw new IllegalStateException("the API contract " + CONTRACT + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the API contract", e);
        }
    }
}
