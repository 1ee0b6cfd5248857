package dev.cloned.gateway.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import reactor.core.publisher.Mono;

/** The stream answering one request: plain JSON when the response comes first, else SSE events. */
final class ResponseStream implements McpStreamableServerTransport {
    private final HttpServerResponse res;
    private final Context context;
    private final McpJsonMapper json;
    private boolean sse;

    ResponseStream(HttpServerResponse res, Context context, McpJsonMapper json) {
        this.res = res;
        this.context = context;
        this.json = json;
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
                JsonRpcReplies.error(json, res, 500, id, McpSchema.ErrorCodes.INTERNAL_ERROR, "request failed");
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
