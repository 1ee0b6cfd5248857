package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.auth.AuthGuard;
import dev.cloned.gateway.auth.Scopes;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import io.vertx.ext.web.Router;

/**
 * The benchmark's baseline: {@code POST /bench/echo-ungoverned} parses the same envelope and runs the echo tool on
 * the same worker pool, behind the same security gate, but with no policy, budget or audit. Only mounted with
 * {@code cloned serve --bench-ungoverned-route}; never part of the contract.
 */
final class BenchRoute {
    private final RegisteredTool echo;
    private final Blocking blocking;

    BenchRoute(ClonedGateway gw, Blocking blocking) {
        this.echo = gw.tools().find("cloned.internal.echo@v1").orElseThrow();
        this.blocking = blocking;
    }

    void mount(Router router) {
        router.post("/bench/echo-ungoverned").handler(AuthGuard.require(Scopes.CALL)).handler(Routes.safe(ctx -> {
            ObjectNode doc = Routes.body(ctx);
            blocking.respond(ctx, () -> {
                ToolCallEnvelope env = ToolCallEnvelope.parse(doc);
                JsonNode out = echo.handler().invoke(env.input(), null);
                ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("status", "succeeded");
                n.set("output", out);
                return Reply.ok(n);
            });
        }));
    }
}
