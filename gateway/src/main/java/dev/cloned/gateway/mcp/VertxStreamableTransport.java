package dev.cloned.gateway.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MCP SDK's Streamable HTTP server transport on Vert.x: {@code POST} carries one JSON-RPC message (a request is
 * answered with JSON, or with an SSE stream when the server sends anything before the response), {@code GET} opens
 * the session's listening stream ({@code text/event-stream}) for what the server initiates, such as
 * {@code notifications/tools/list_changed}, and {@code DELETE} ends a session. A list-changed notification raised
 * while a session has no open stream is kept (once per method) and sent when it opens one. Handlers run on the
 * event loop and never block; the SDK's work is subscribed to, not awaited.
 */
public final class VertxStreamableTransport implements McpStreamableServerTransportProvider {
    /** Session header of the Streamable HTTP protocol. */
    public static final String SESSION_HEADER = "Mcp-Session-Id";
    /** Protocol version header a client sends after initialization (2025-06-18 and later). */
    public static final String PROTOCOL_HEADER = "MCP-Protocol-Version";
    /** Comment interval on idle listening streams (the HTTP server closes connections idle for 120 s). */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(25);
    private static final int MAX_SESSIONS = 1000;
    private final Vertx vertx;
    private final McpJsonMapper json;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Set<ListeningStream> streams = ConcurrentHashMap.newKeySet();
    private final long keepAliveTimer;
    private volatile McpStreamableServerSession.Factory factory;
    private volatile boolean closing;

    /** One session: the SDK's, and the list-changed notifications waiting for a listening stream. */
    private static final class Session {
        final McpStreamableServerSession sdk;
        final Set<String> pending = new LinkedHashSet<>();

        Session(McpStreamableServerSession sdk) {
            this.sdk = sdk;
        }

        synchronized void keep(String method) {
            pending.add(method);
        }
    }

    public VertxStreamableTransport(Vertx vertx, McpJsonMapper json) {
        this(vertx, json, KEEP_ALIVE);
    }

    /** With another keep-alive interval on listening streams. */
    public VertxStreamableTransport(Vertx vertx, McpJsonMapper json, Duration keepAlive) {
        this.vertx = vertx;
        this.json = json;
        this.keepAliveTimer = vertx.setPeriodic(keepAlive.toMillis(), id -> streams.forEach(ListeningStream::keepAlive));
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.factory = sessionFactory;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values()).flatMap(s -> notify(s, method, params)).then();
    }

    private Mono<Void> notify(Session s, String method, Object params) {
        boolean listChanged = method.endsWith("/list_changed");
        synchronized (s) {
            if (!s.sdk.hasListeningStream()) {
                if (listChanged) {
                    s.pending.add(method);
                }
                return Mono.empty();
            }
        }
        return s.sdk.sendNotification(method, params).onErrorResume(e -> {
            if (listChanged) {
                s.keep(method); // the stream closed meanwhile: its next one gets it
            }
            return Mono.empty();
        });
    }

    @Override
    public Mono<Void> closeGracefully() {
        closing = true;
        vertx.cancelTimer(keepAliveTimer);
        return Flux.fromIterable(sessions.values()).flatMap(s -> s.sdk.closeGracefully())
            .then(Mono.fromRunnable(sessions::clear));
    }

    /** Refuses new requests and ends every session's listening stream, without waiting; calls in flight finish. */
    public void shutdown() {
        closeGracefully().subscribe();
    }

    /** Sessions now open. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Listening streams ({@code GET /mcp}) now open. */
    public int streamCount() {
        return streams.size();
    }

    /** Handles a request to {@code /mcp}. */
    public void handle(RoutingContext ctx) {
        HttpMethod m = ctx.request().method();
        if (closing) {
            rpcError(ctx.response(), 503, null, McpSchema.ErrorCodes.INTERNAL_ERROR, "the gateway is shutting down");
        } else if (m == HttpMethod.POST) {
            post(ctx);
        } else if (m == HttpMethod.GET) {
            get(ctx);
        } else if (m == HttpMethod.DELETE) {
            delete(ctx);
        } else {
            ctx.response().setStatusCode(405).putHeader("Allow", "GET, POST, DELETE").end();
        }
    }

    /**
     * The session a request names, after checking its protocol version; null once an error is answered (400 without
     * the header or with an unsupported version, 404 for an unknown or ended session).
     */
    private Session session(RoutingContext ctx) {
        String version = ctx.request().getHeader(PROTOCOL_HEADER);
        if (version != null && !protocolVersions().contains(version)) {
            rpcError(ctx.response(), 400, null, McpSchema.ErrorCodes.INVALID_REQUEST, "unsupported " + PROTOCOL_HEADER
                + " " + version + "; supported: " + String.join(", ", protocolVersions()));
            return null;
        }
        String id = ctx.request().getHeader(SESSION_HEADER);
        Session session = id == null ? null : sessions.get(id);
        if (session == null) {
            rpcError(ctx.response(), id == null ? 400 : 404, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                id == null ? "missing " + SESSION_HEADER + " header" : "unknown or expired session");
        }
        return session;
    }

    private void get(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            rpcError(ctx.response(), 406, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                "GET /mcp opens a text/event-stream: send Accept: text/event-stream");
            return;
        }
        Session session = session(ctx);
        if (session == null) {
            return;
        }
        HttpServerResponse res = ctx.response();
        ListeningStream stream = new ListeningStream(res, vertx.getOrCreateContext(), json, session::keep);
        stream.open();
        McpStreamableServerSession.McpStreamableServerSessionStream sdkStream;
        List<String> due;
        synchronized (session) {
            sdkStream = session.sdk.listeningStream(stream); // replaces (and ends) an earlier one
            due = List.copyOf(session.pending);
            session.pending.clear();
        }
        streams.add(stream);
        res.closeHandler(v -> {
            stream.markClosed();
            streams.remove(stream);
            sdkStream.close();
        });
        res.endHandler(v -> streams.remove(stream));
        due.forEach(method -> sdkStream.sendNotification(method, null).subscribe(null, e -> session.keep(method)));
    }

    private void post(RoutingContext ctx) {
        HttpServerResponse res = ctx.response();
        McpSchema.JSONRPCMessage msg;
        try {
            msg = McpSchema.deserializeJsonRpcMessage(json, ctx.body().asString());
        } catch (IOException | IllegalArgumentException e) {
            rpcError(res, 400, null, McpSchema.ErrorCodes.PARSE_ERROR, "not a JSON-RPC message");
            return;
        }
        Context context = vertx.getOrCreateContext();
        if (msg instanceof McpSchema.JSONRPCRequest
            && McpSchema.METHOD_INITIALIZE.equals(((McpSchema.JSONRPCRequest) msg).method())) {
            initialize(res, context, (McpSchema.JSONRPCRequest) msg);
            return;
        }
        Session found = session(ctx);
        if (found == null) {
            return;
        }
        McpStreamableServerSession session = found.sdk;
        if (msg instanceof McpSchema.JSONRPCRequest) {
            ResponseStream stream = new ResponseStream(res, context, json);
            session.responseStream((McpSchema.JSONRPCRequest) msg, stream)
                .subscribe(null, e -> stream.fail(((McpSchema.JSONRPCRequest) msg).id(), e), stream::finish);
            return;
        }
        Mono<Void> accepted = msg instanceof McpSchema.JSONRPCResponse
            ? session.accept((McpSchema.JSONRPCResponse) msg) : session.accept((McpSchema.JSONRPCNotification) msg);
        accepted.subscribe(null, e -> context.runOnContext(v -> rpcError(res, 500, null,
            McpSchema.ErrorCodes.INTERNAL_ERROR, "message not accepted")), () -> context.runOnContext(v -> {
                if (!res.ended()) {
                    res.setStatusCode(202).end();
                }
            }));
    }

    private void initialize(HttpServerResponse res, Context context, McpSchema.JSONRPCRequest req) {
        if (sessions.size() >= MAX_SESSIONS) {
            rpcError(res, 503, req.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "too many MCP sessions; end some first");
            return;
        }
        McpSchema.InitializeRequest init = json.convertValue(req.params(), new TypeRef<McpSchema.InitializeRequest>() {
        });
        McpStreamableServerSession.McpStreamableServerSessionInit started = factory.startSession(init);
        sessions.put(started.session().getId(), new Session(started.session()));
        started.initResult().subscribe(result -> context.runOnContext(v -> {
            res.putHeader(SESSION_HEADER, started.session().getId());
            write(res, 200, new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, req.id(), result, null));
        }), e -> context.runOnContext(v -> rpcError(res, 500, req.id(), McpSchema.ErrorCodes.INTERNAL_ERROR,
            "initialization failed")));
    }

    private void delete(RoutingContext ctx) {
        Session session = session(ctx);
        if (session == null) {
            return;
        }
        sessions.remove(session.sdk.getId());
        Context context = vertx.getOrCreateContext();
        session.sdk.delete().subscribe(null, e -> context.runOnContext(v -> ctx.response().setStatusCode(500).end()),
            () -> context.runOnContext(v -> ctx.response().setStatusCode(200).end()));
    }

    private void write(HttpServerResponse res, int status, Object message) {
        JsonRpcReplies.write(json, res, status, message);
    }

    private void rpcError(HttpServerResponse res, int status, Object id, int code, String message) {
        JsonRpcReplies.error(json, res, status, id, code, message);
    }
}
