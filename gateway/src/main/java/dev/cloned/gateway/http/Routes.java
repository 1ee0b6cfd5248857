package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.auth.AuthGuard;
import dev.cloned.gateway.auth.Session;
import dev.cloned.rules.json.CanonicalJson;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.io.IOException;

/** Small helpers shared by the route groups: mounting an operation with its scope, reading bodies and params. */
final class Routes {
    private Routes() {
    }

    /** Mounts {@code handler} on the contract's operation, behind a scope check (null scope: public operation). */
    static void on(RouterBuilder rb, String operationId, String scope, Handler<RoutingContext> handler) {
        OpenAPIRoute route = rb.getRoute(operationId);
        if (route == null) {
            throw new IllegalStateException("operation " + operationId + " is not in docs/api/openapi.yaml");
        }
        if (scope != null) {
            route.addHandler(AuthGuard.require(scope));
        }
        route.addHandler(handler);
    }

    /** Where {@link BodyValidation} leaves the body it parsed and validated, so routes do not parse it again. */
    static final String PARSED_BODY = "cloned.body";

    /** The request body as JSON (an empty object when there is none). Already validated against the contract. */
    static ObjectNode body(RoutingContext ctx) {
        JsonNode parsed = ctx.get(PARSED_BODY);
        if (parsed instanceof ObjectNode) {
            return (ObjectNode) parsed;
        }
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0) {
            return CanonicalJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode n = CanonicalJson.MAPPER.readTree(ctx.body().buffer().getBytes());
            if (!(n instanceof ObjectNode)) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "the request body must be a JSON object");
            }
            return (ObjectNode) n;
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "the request body is not valid JSON");
        }
    }

    /** An integer query parameter with a default. */
    static int intParam(RoutingContext ctx, String name, int fallback) {
        String v = ctx.queryParams().get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    /** The caller's session. */
    static Session session(RoutingContext ctx) {
        return ctx.get(AuthGuard.SESSION);
    }

    /** The actor recorded for this caller: {@code http:<subject>}. */
    static String actor(RoutingContext ctx) {
        Session s = session(ctx);
        return "http:" + (s == null ? "anonymous" : s.subject());
    }

    /** Runs a synchronous handler body, turning a failure into problem JSON. */
    static Handler<RoutingContext> safe(Handler<RoutingContext> h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (RuntimeException e) {
                Blocking.fail(ctx, e);
            }
        };
    }
}
