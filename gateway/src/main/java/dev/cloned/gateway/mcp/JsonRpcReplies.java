package dev.cloned.gateway.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Plain JSON answers of {@code /mcp}: a JSON-RPC message, or an error the transport answers itself. */
final class JsonRpcReplies {
    private JsonRpcReplies() {
    }

    /** Ends {@code res} with {@code message} as JSON, unless the response is already over. */
    static void write(McpJsonMapper json, HttpServerResponse res, int status, Object message) {
        if (res.ended() || res.closed()) {
            return;
        }
        try {
            res.setStatusCode(status).putHeader("Content-Type", "application/json").end(json.writeValueAsString(message));
        } catch (IOException e) {
            res.setStatusCode(500).end();
        }
    }

    /** A JSON-RPC error; {@code id} is null when the request's id is unknown (the SDK's record refuses that). */
    static void error(McpJsonMapper json, HttpServerResponse res, int status, Object id, int code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        body.put("id", id);
        body.put("error", error);
        write(json, res, status, body);
    }
}
