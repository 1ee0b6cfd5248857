package dev.cloned.gateway.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import reactor.core.publisher.Mono;

import java.util.function.Consumer;

/**
 * The response of one {@code GET /mcp}: an open {@code text/event-stream} on which the SDK sends what the server
 * initiates (notifications, requests) for one session. Writes happen on the request's context; a list-changed
 * notification that can no longer be written is handed back ({@code undelivered}) so the session keeps it for its
 * next stream.
 */
final class ListeningStream implements McpStreamableServerTransport {
    private final HttpServerResponse res;
    private final Context context;
    private final McpJsonMapper json;
    private final Consumer<String> undelivered;
    private volatile boolean closed;

    ListeningStream(HttpServerResponse res, Context context, McpJsonMapper json, Consumer<String> undelivered) {
        this.res = res;
        this.context = context;
        this.json = json;
        this.undelivered = undelivered;
    }

    /** Sends the headers and a first comment, so the client sees the stream open at once (on the context). */
    void open() {
        res.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream")
            .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        res.write(": stream open\n\n");
    }

    /** A comment line, so idle connections are not timed out (from any thread). */
    void keepAlive() {
        context.runOnContext(v -> {
            if (!closed && !res.ended() && !res.closed()) {
                res.write(": keep-alive\n\n");
            }
        });
    }

    /** The connection went away. */
    void markClosed() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        String listChanged = message instanceof McpSchema.JSONRPCNotification
            && ((McpSchema.JSONRPCNotification) message).method().endsWith("/list_changed")
            ? ((McpSchema.JSONRPCNotification) message).method() : null;
        if (closed) {
            if (listChanged != null) {
                undelivered.accept(listChanged);
            }
            return Mono.error(new IllegalStateException("the listening stream is closed"));
        }
        return Mono.fromCallable(() -> json.writeValueAsString(message)).doOnNext(text -> context.runOnContext(v -> {
            if (closed || res.ended() || res.closed()) {
                if (listChanged != null) {
                    undelivered.accept(listChanged);
                }
                return;
            }
            res.write("event: message\ndata: " + text + "\n\n");
        })).then();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    /** Ends the response after what was sent before (writes and the end are queued on the same context). */
    @Override
    public void close() {
        context.runOnContext(v -> {
            closed = true;
            if (!res.ended() && !res.closed()) {
                res.end();
            }
        });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }
}
