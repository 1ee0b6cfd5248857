package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.auth.Scopes;
import dev.cloned.gateway.json.Views;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.approval.Approval;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.util.function.Function;

/** Tool calls, policy evaluation, approvals and firewall change requests: everything that enters the governed path. */
final class CallRoutes {
    /** The firewall-editing tool; a change request is a governed call of it. */
    static final String EGRESS_UPDATE = "cloned.internal.security.egress.update@v1";
    private final ClonedGateway gw;
    private final Function<ToolCallEnvelope, CallResult> calls;
    private final Blocking blocking;

    CallRoutes(ClonedGateway gw, Function<ToolCallEnvelope, CallResult> calls, Blocking blocking) {
        this.gw = gw;
        this.calls = calls;
        this.blocking = blocking;
    }

    void mount(RouterBuilder rb) {
        Routes.on(rb, "callTool", Scopes.CALL, Routes.safe(this::callTool));
        Routes.on(rb, "evalPolicy", Scopes.READ, Routes.safe(this::evalPolicy));
        Routes.on(rb, "listApprovals", Scopes.READ, ctx -> blocking.respond(ctx, () -> {
            ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
            gw.approvals().list(ctx.queryParams().get("status")).forEach(x -> a.add(Views.approval(x)));
            return Reply.ok(CanonicalJson.MAPPER.createObjectNode().set("approvals", a));
        }));
        Routes.on(rb, "getApproval", Scopes.READ, ctx -> blocking.respond(ctx, () -> Reply.ok(Views.approval(
            gw.approvals().find(ctx.pathParam("id")).orElseThrow(() -> notFound(ctx.pathParam("id")))))));
        Routes.on(rb, "approveApproval", Scopes.APPROVE, Routes.safe(ctx -> decide(ctx, true)));
        Routes.on(rb, "denyApproval", Scopes.APPROVE, Routes.safe(ctx -> decide(ctx, false)));
        Routes.on(rb, "requestFirewallChange", Scopes.CALL, Routes.safe(this::firewallChange));
    }

    /**
     * Decided here, on the event loop, when nothing before the audit blocks (a free tool); no thread waits for the
     * decision's fsync; what may block (budgets, approvals, a tool that may block) runs on the continuation pool.
     */
    private void callTool(RoutingContext ctx) {
        ObjectNode doc = envelopeDoc(ctx);
        blocking.respondNow(ctx, () -> gw.calls().callNonBlocking(ToolCallEnvelope.parse(doc),
            blocking.continuations(), Blocking.onThisLoop()).thenApply(CallRoutes::reply));
    }

    private void evalPolicy(RoutingContext ctx) {
        ObjectNode doc = envelopeDoc(ctx);
        blocking.respond(ctx, () -> Reply.ok(Views.decision(gw.calls().evaluate(ToolCallEnvelope.parse(doc)))));
    }

    private void firewallChange(RoutingContext ctx) {
        ObjectNode doc = CanonicalJson.MAPPER.createObjectNode().put("tool_id", EGRESS_UPDATE)
            .put("actor", Routes.actor(ctx));
        doc.set("input", Routes.body(ctx));
        blocking.respond(ctx, () -> reply(calls.apply(ToolCallEnvelope.parse(doc))));
    }

    private void decide(RoutingContext ctx, boolean approve) {
        String id = ctx.pathParam("id");
        ObjectNode body = Routes.body(ctx);
        String reason = body.path("reason").asText("");
        boolean replay = body.path("replay").asBoolean(true);
        String actor = Routes.actor(ctx);
        blocking.respond(ctx, () -> {
            Approval a = approve ? gw.approvals().approve(id, actor, reason) : gw.approvals().deny(id, actor, reason);
            ObjectNode out = CanonicalJson.MAPPER.createObjectNode();
            out.set("approval", Views.approval(a));
            if (approve && replay && a.envelope() != null && !a.envelope().isNull()) {
                out.set("replay", Views.callResult(calls.apply(ToolCallEnvelope.parse(a.envelope()))));
            }
            return Reply.ok(out);
        });
    }

    /** The envelope as sent, with the caller recorded as actor ({@code http:<subject>[/<actor given>]}). */
    private static ObjectNode envelopeDoc(RoutingContext ctx) {
        ObjectNode doc = Routes.body(ctx);
        String given = doc.path("actor").asText(null);
        doc.put("actor", Routes.actor(ctx) + (given == null ? "" : "/" + given));
        return doc;
    }

    /** 200 ran or dry run; 202 pending approval; 403 problem (with the result) when denied. */
    static Reply reply(CallResult r) {
        ObjectNode view = Views.callResult(r);
        switch (r.status()) {
            case PENDING_APPROVAL:
                return Reply.json(202, view);
            case DENIED:
                ObjectNode p = Problems.of(ErrorCode.DENIED, r.decision() == null
                    || r.decision().decisiveReasons().isEmpty() ? "denied" : r.decision().decisiveReasons().get(0).message(), null);
                p.put("code", r.code());
                p.put("type", "https://cloned.dev/problems/" + r.code());
                p.set("result", view);
                return new Reply(403, Problems.MEDIA_TYPE, Reply.json(403, p).body());
            default:
                return Reply.ok(view);
        }
    }

    private static dev.cloned.error.ClonedException notFound(String id) {
        return new dev.cloned.error.ClonedException(ErrorCode.NOT_FOUND, "no approval " + id,
            "list approvals with GET /v1/approvals");
    }
}
