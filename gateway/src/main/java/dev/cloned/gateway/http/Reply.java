package dev.cloned.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** A response computed off the event loop: status, media type and body. */
public record Reply(int status, String contentType, Buffer body) {
    /** A JSON reply. */
    public static Reply json(int status, JsonNode body) {
        try {
            return new Reply(status, "application/json", Buffer.buffer(CanonicalJson.MAPPER.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a reply", e);
        }
    }

    /** A 200 JSON reply. */
    public static Reply ok(JsonNode body) {
        return json(200, body);
    }

    /** A plain-text reply. */
    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, Buffer.buffer(body));
    }

    /** Writes the reply. */
    public void send(HttpServerResponse r) {
        if (r.ended() || r.closed()) {
            return;
        }
        r.setStatusCode(status).putHeader("Content-Type", contentType).end(body);
    }
}
