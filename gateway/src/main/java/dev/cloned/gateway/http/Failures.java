package dev.cloned.gateway.http;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatorException;

/** The router's failure handler: contract violations are 400 problems, never 500s; nothing leaks a stack trace. */
final class Failures {
    private Failures() {
    }

    static void handle(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof ValidatorException) {
            Problems.send(ctx, ErrorCode.INVALID_INPUT, "the request does not match the API contract: "
                + t.getMessage(), "see /openapi.yaml");
        } else if (t instanceof ClonedException) {
            Problems.send(ctx, (ClonedException) t);
        } else if (ctx.statusCode() == 413) {
            Problems.send(ctx, Problems.of(ErrorCode.INVALID_INPUT, "the request body is too large", null)
                .put("status", 413));
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            Problems.send(ctx, Problems.of(ErrorCode.INVALID_INPUT, "bad request", null).put("status", ctx.statusCode()));
        } else {
            Blocking.fail(ctx, t == null ? new IllegalStateException("failure") : t);
        }
    }
}
