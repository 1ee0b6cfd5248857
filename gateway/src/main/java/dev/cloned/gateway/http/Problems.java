package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.redact.Redactor;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.EnumMap;
import java.util.Map;

/** RFC 7807 problem JSON, and the one table from {@link ErrorCode} to HTTP status. */
public final class Problems {
    /** Where a request's context holds the workspace's {@code Redactor}: every problem's texts pass it. */
    static final String REDACTOR = "cloned.redactor";
    /** Media type of a problem. */
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final Map<ErrorCode, Integer> STATUS = new EnumMap<>(ErrorCode.class);

    static {
        put(400, ErrorCode.INVALID_INPUT, ErrorCode.INVALID_ENVELOPE);
        put(401, ErrorCode.UNAUTHORIZED);
        put(403, ErrorCode.DENIED, ErrorCode.EGRESS_DENIED, ErrorCode.BUDGET_EXCEEDED, ErrorCode.FORBIDDEN,
            ErrorCode.PUBLISHER_UNTRUSTED);
        put(202, ErrorCode.APPROVAL_REQUIRED);
        put(404, ErrorCode.NOT_FOUND, ErrorCode.SECRET_NOT_FOUND);
        put(409, ErrorCode.CONFLICT);
        put(422, ErrorCode.INVALID_POLICY, ErrorCode.SIGNATURE_INVALID, ErrorCode.HASH_MISMATCH,
            ErrorCode.VERSION_YANKED, ErrorCode.GRAPH_INVALID);
        put(429, ErrorCode.RATE_LIMITED);
        put(500, ErrorCode.POLICY_ERROR, ErrorCode.AUDIT_BROKEN, ErrorCode.WORKSPACE_INVALID, ErrorCode.INTERNAL);
        put(502, ErrorCode.CONNECTOR_FAILED);
        put(503, ErrorCode.AUDIT_UNAVAILABLE, ErrorCode.STORE_ERROR, ErrorCode.VAULT_UNAVAILABLE);
        for (ErrorCode c : ErrorCode.values()) {
            if (!STATUS.containsKey(c)) {
                throw new ExceptionInInitializerError("no HTTP status for " + c);
            }
        }
    }

    private Problems() {
    }

    private static void put(int status, ErrorCode... codes) {
        for (ErrorCode c : codes) {
            STATUS.put(c, status);
        }
    }

    /** The HTTP status of an error code. */
    public static int status(ErrorCode code) {
        return STATUS.get(code);
    }

    /** The problem document for a failure. */
    public static ObjectNode of(ErrorCode code, String detail, String hint) {
        int status = status(code);
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("type", "https://cloned.dev/problems/" + code.code());
        n.put("title", title(code));
        n.put("status", status);
        n.put("detail", detail);
        n.put("code", code.code());
        if (hint != null) {
            n.put("hint", hint);
        }
        return n;
    }

    /** Sends a failure as problem JSON. */
    public static void send(RoutingContext ctx, ClonedException e) {
        send(ctx, of(e.code(), e.getMessage(), e.hint()));
    }

    /** Sends a problem for a code. */
    public static void send(RoutingContext ctx, ErrorCode code, String detail, String hint) {
        send(ctx, of(code, detail, hint));
    }

    /** Sends a problem document with its own status. */
    public static void send(RoutingContext ctx, JsonNode problem) {
        HttpServerResponse r = ctx.response();
        if (r.ended() || r.closed()) {
            return;
        }
        if (r.headWritten()) {
            r.end();
            return;
        }
        SecurityHeaders.apply(r.headers());
        Redactor redactor = ctx.get(REDACTOR);
        if (redactor != null && problem instanceof ObjectNode n) {
            for (String field : new String[] {"detail", "hint"}) {
                if (n.path(field).isTextual()) {
                    n.put(field, redactor.redact(n.get(field).asText()));
                }
            }
        }
        r.setStatusCode(problem.path("status").asInt(500)).putHeader("Content-Type", MEDIA_TYPE)
            .end(CanonicalJson.write(problem));
    }

    private static String title(ErrorCode code) {
        String s = code.code().replace('_', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
