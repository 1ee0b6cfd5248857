package dev.cloned.gateway.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MCP SDK's Streamable HTTP server transport on Vert.x: {@code POST} carries one JSON-RPC message (a request is
 * answered with JSON, or with an SSE stream when the server sends anything before the response), {@code DELETE}
 * ends a session, {@code GET} (server-initiated stream) is answered 405 as the protocol allows. Handlers run on the
 * event loop and never block; the SDK's work is subscribed to, not awaited.
 */
public final class VertxStreamableTransport implements McpStreamableServerTransportProvider {
    /** Session header of the Streamable HTTP protocol. */
    public static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final int MAX_SESSIONS = 1000;
    private final Vertx vertx;
    private final McpJsonMapper json;
    private final Map<String, McpStreamableServerSession> sessions = new ConcurrentHashMap<>();
    private volatile McpStreamableServerSession.Factory factory;
    private volatile boolean closing;

    public VertxStreamableTransport(Vertx vertx, McpJsonMapper json) {
        this.vertx = vertx;
        this.json = json;
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.factory = sessionFactory;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values()).flatMap(s -> s.sendNotification(method, params)
            .onErrorResume(e -> Mono.empty())).then();
    }

    @Override
    public Mono<Void> closeGracefully() {
        closing = true;
        return Flux.fromIterable(sessions.values()).flatMap(McpStreamableServerSession::closeGracefully)
            .then(Mono.fromRunnable(sessions::clear));
    }

    /** Handles a request to {@code /mcp}. */
    public void handle(RoutingContext ctx) {
        HttpMethod m = ctx.request().method();
        if (closing) {
            rpcError(ctx.response(), 503, null, McpSchema.ErrorCodes.INTERNAL_ERROR, "the gateway is shutting down");
        } else if (m == HttpMethod.POST) {
            post(ctx);
        } else if (m == HttpMethod.DELETE) {
            delete(ctx);
        } else {
            ctx.response().setStatusCode(405).putHeader("Allow", "POST, DELETE").end();
        }
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
        String id = ctx.request().getHeader(SESSION_HEADER);
        McpStreamableServerSession session = id == null ? null : sessions.get(id);
        if (session == null) {
            rpcError(res, id == null ? 400 : 404, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                id == null ? "missing " + SESSION_HEADER + " header" : "unknown or expired session");
            return;
        }
        if (msg instanceof McpSchema.JSONRPCRequest) {
            ResponseStream stream = new ResponseStream(res, context);
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
        sessions.put(started.session().getId(), started.session());
        started.initResult().subscribe(result -> context.runOnContext(v -> {
            res.putHeader(SESSION_HEADER, started.session().getId());
            write(res, 200, new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, req.id(), result, null));
        }), e -> context.runOnContext(v -> rpcError(res, 500, req.id(), McpSchema.ErrorCodes.INTERNAL_ERROR,
            "initialization failed")));
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.request().getHeader(SESSION_HEADER);
        McpStreamableServerSession session = id == null ? null : sessions.remove(id);
        if (session == null) {
            ctx.response().setStatusCode(id == null ? 400 : 404).end();
            return;
        }
        Context context = vertx.getOrCreateContext();
        session.delete().subscribe(null, e -> context.runOnContext(v -> ctx.response().setStatusCode(500).end()),
            () -> context.runOnContext(v -> ctx.response().setStatusCode(200).end()));
    }

    private void write(HttpServerResponse res, int status, Object message) {
        if (res.ended() || res.closed()) {
            return;
        }
        try {
            res.setStatusCode(status).putHeader("Content-Type", "application/json").end(json.writeValueAsString(message));
        } catch (IOException e) {
            res.setStatusCode(500).end();
        }
    }

    private void rpcError(HttpServerResponse res, int status, Object id, int code, String message) {
        write(res, status, new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, null,
            new McpSchema.JSONRPCResponse.JSONRPCError(code, message, null)));
    }

    /** The stream answering one request: plain JSON when the response comes first, else SSE events. */
    private final class ResponseStream implements McpStreamableServerTransport {
        private final HttpServerResponse res;
        private final Context context;
        private boolean sse;

        ResponseStream(HttpServerResponse res, Context context) {
            this.res = res;
            this.context = context;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return sendMessage(message, null);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
            return Mono.fromCallable(() -> json.writeValueAsString(message)).doOnNext(text -> context.runOnContext(v ->
                emit(text, message instanceof McpSchema.JSONRPCResponse))).then();
        }

        private void emit(String text, boolean last) {
            if (res.ended() || res.closed()) {
                return;
            }
            if (!sse && last) {
                res.setStatusCode(200).putHeader("Content-Type", "application/json").end(text);
                return;
            }
            if (!sse) {
                sse = true;
                res.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache");
            }
            res.write("event: message\ndata: " + text + "\n\n");
            if (last) {
                res.end();
            }
        }

        void finish() {
            context.runOnContext(v -> {
                if (!res.ended() && !res.closed()) {
                    res.end();
                }
            });
        }

        void fail(Object id, Throwable e) {
            context.runOnContext(v -> {
                if (!sse) {
                    rpcError(res, 500, id, McpSchema.ErrorCodes.INTERNAL_ERROR, "request failed");
                } else if (!res.ended()) {
                    res.end();
                }
            });
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(this::finish);
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }
    }
}
