package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.auth.Scopes;
import dev.cloned.gateway.json.Views;
import dev.cloned.rules.Policies;
import dev.cloned.rules.PolicyProblem;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.audit.AuditVerification;
import dev.cloned.runtime.audit.AuditLines;
import dev.cloned.runtime.store.AuditRow;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Read models of the workspace: status, budgets, audit (paged and verified), policy, firewall, runs. */
final class StateRoutes {
    private final ClonedGateway gw;
    private final Blocking blocking;
    private final Clock clock;

    StateRoutes(ClonedGateway gw, Blocking blocking, Clock clock) {
        this.gw = gw;
        this.blocking = blocking;
        this.clock = clock;
    }

    void mount(RouterBuilder rb) {
        Routes.on(rb, "getWorkspace", Scopes.READ, ctx -> blocking.respond(ctx, () -> Reply.ok(workspace())));
        Routes.on(rb, "listBudgets", Scopes.READ, ctx -> blocking.respond(ctx, () -> Reply.ok(
            CanonicalJson.MAPPER.createObjectNode().set("budgets",
                Views.budgets(gw.budgets().states(gw.policy().current().pack(), clock.instant()))))));
        Routes.on(rb, "listAudit", Scopes.READ, ctx -> {
            long after = Routes.intParam(ctx, "after_seq", 0);
            int limit = Routes.intParam(ctx, "limit", 100);
            blocking.respond(ctx, () -> Reply.ok(audit(after, limit)));
        });
        Routes.on(rb, "verifyAudit", Scopes.READ, ctx -> blocking.respond(ctx, () -> Reply.ok(verify())));
        Routes.on(rb, "showPolicy", Scopes.READ, ctx -> blocking.respond(ctx, () -> Reply.ok(policy())));
        Routes.on(rb, "validatePolicy", Scopes.READ, ctx -> blocking.respond(ctx, () -> {
            PolicyPack pack = gw.policy().loadPack();
            List<PolicyProblem> problems = Policies.validate(pack);
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("ok", problems.isEmpty())
                .put("pack_id", pack.packId());
            n.set("problems", CanonicalJson.MAPPER.valueToTree(problems));
            return Reply.ok(n);
        }));
        Routes.on(rb, "listFirewall", Scopes.READ, ctx -> blocking.respond(ctx, () -> Reply.ok(
            CanonicalJson.MAPPER.createObjectNode().set("entries",
                CanonicalJson.MAPPER.valueToTree(gw.firewall().list())))));
        Routes.on(rb, "listRuns", Scopes.READ, ctx -> {
            int limit = Routes.intParam(ctx, "limit", 50);
            blocking.respond(ctx, () -> Reply.ok(runs(limit)));
        });
    }

    private ObjectNode workspace() {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("workspace_id", gw.config().workspaceId()).put("tier", gw.config().tier())
            .put("policy_pack", gw.config().policyPack()).put("created_at", gw.config().createdAt().toString());
        var engine = gw.policy().current();
        n.putObject("active_pack").put("pack_id", engine.pack().packId()).put("version", engine.pack().version())
            .put("tier", engine.pack().tier()).put("hash", engine.hash())
            .put("activated_at", engine.activatedAt().toString()).put("origin", engine.origin());
        n.put("tools", gw.tools().all().size());
        n.put("audit_sync", gw.config().auditSync().wire());
        return n;
    }

    private ObjectNode audit(long after, int limit) {
        gw.audit().awaitFlushed(); // read your own writes: outcome entries are queued, not waited for
        List<AuditRow> rows = gw.store().audit(after, limit);
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        ArrayNode entries = n.putArray("entries");
        long last = after;
        List<String> lines = AuditLines.read(gw.workspace().auditLog(), rows);
        for (int i = 0; i < rows.size(); i++) {
            entries.add(parse(lines.get(i)));
            last = rows.get(i).seq();
        }
        n.put("next_after_seq", last);
        n.put("more", rows.size() == limit);
        return n;
    }

    private ObjectNode verify() {
        AuditVerification v = gw.verifyAudit();
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("ok", v.ok()).put("entries", v.entries());
        if (!v.ok()) {
            n.put("bad_line", v.badLine()).put("problem", v.problem());
        }
        n.put("last_hash", v.lastHash());
        return n;
    }

    private ObjectNode policy() {
        PolicyPack pack = gw.policy().loadPack();
        ObjectNode n = CanonicalJson.MAPPER.valueToTree(pack);
        n.remove("rules");
        n.remove("tests");
        n.put("hash", Policies.hash(pack));
        n.set("rules", CanonicalJson.MAPPER.valueToTree(Policies.ruleInfo(pack)));
        return n;
    }

    private ObjectNode runs(int limit) {
        gw.audit().awaitFlushed();
        List<AuditRow> rows = gw.store().auditBetween(clock.instant().minus(Duration.ofDays(1)), null, "outcome", 10_000);
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        ArrayNode runs = n.putArray("runs");
        for (int i = rows.size() - 1; i >= 0 && runs.size() < limit; i--) {
            AuditRow r = rows.get(i);
            runs.addObject().put("kind", "tool_call").put("call_id", r.callId()).put("tool_id", r.toolId())
                .put("effect", r.effect()).put("outcome", r.outcome()).put("dry_run", r.dryRun())
                .put("at", r.at()).put("audit_seq", r.seq());
        }
        n.put("note", "outcomes of tool calls dispatched in the last 24 hours (newest first, from the first 10,000); pipeline runs appear here once pipelines exist");
        return n;
    }

    private static ObjectNode parse(String line) {
        try {
            return (ObjectNode) CanonicalJson.MAPPER.readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("audit log holds a line that is not JSON", e);
        }
    }
}
