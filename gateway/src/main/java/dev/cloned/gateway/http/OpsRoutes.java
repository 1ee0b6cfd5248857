package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.auth.Scopes;
import dev.cloned.gateway.connectors.ConnectorTools;
import dev.cloned.gateway.doctor.Doctor;
import dev.cloned.gateway.doctor.DoctorReport;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.export.DotRenderer;
import dev.cloned.graph.export.JsonRenderer;
import dev.cloned.graph.export.MermaidRenderer;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.connectors.ConnectorRegistry;
import dev.cloned.runtime.connectors.RegistryEntry;
import dev.cloned.runtime.connectors.VerificationReport;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import dev.cloned.runtime.redact.Redactor;
import dev.cloned.runtime.vault.Vault;
import dev.cloned.runtime.vault.VaultConfig;
import dev.cloned.runtime.vault.VaultListener;
import dev.cloned.runtime.vault.VaultStatus;
import dev.cloned.runtime.vault.Vaults;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Connectors, vault health, doctor and the capability graph. */
final class OpsRoutes {
    private final ClonedGateway gw;
    private final Blocking blocking;
    private final String bindHost;
    private final Clock clock;

    OpsRoutes(ClonedGateway gw, Blocking blocking, String bindHost, Clock clock) {
        this.gw = gw;
        this.blocking = blocking;
        this.bindHost = bindHost;
        this.clock = clock;
    }

    void mount(RouterBuilder rb) {
        Routes.on(rb, "listConnectors", Scopes.READ, ctx -> blocking.respond(ctx, () -> Reply.ok(connectors())));
        Routes.on(rb, "enableConnector", Scopes.ADMIN, ctx -> {
            String actor = Routes.actor(ctx);
            blocking.respond(ctx, () -> setEnabled(ctx.pathParam("id"), true, actor));
        });
        Routes.on(rb, "disableConnector", Scopes.ADMIN, ctx -> {
            String actor = Routes.actor(ctx);
            blocking.respond(ctx, () -> setEnabled(ctx.pathParam("id"), false, actor));
        });
        Routes.on(rb, "vaultStatus", Scopes.READ, ctx -> blocking.respond(ctx, () -> Reply.ok(vault())));
        Routes.on(rb, "runDoctor", Scopes.READ, ctx -> blocking.respond(ctx, () -> Reply.ok(
            new Doctor(gw, clock, gw.environment(), Doctor.Limits.DEFAULT).run(bindHost).toJson())));
        Routes.on(rb, "fixDoctor", Scopes.ADMIN, ctx -> {
            String actor = Routes.actor(ctx);
            boolean dryRun = Routes.body(ctx).path("dry_run").asBoolean(false);
            blocking.respond(ctx, () -> Reply.ok(fixDoctor(actor, dryRun)));
        });
        Routes.on(rb, "getGraph", Scopes.READ, ctx -> {
            String format = ctx.queryParams().contains("format") ? ctx.queryParams().get("format") : "json";
            blocking.respond(ctx, () -> graph(format));
        });
    }

    /** What {@code cloned doctor --fix [--dry-run]} does: the safe fixes, audited, then the checks again. */
    private ObjectNode fixDoctor(String actor, boolean dryRun) {
        Doctor doctor = new Doctor(gw, clock, gw.environment(), Doctor.Limits.DEFAULT);
        DoctorReport before = doctor.run(bindHost);
        List<Doctor.Applied> applied = doctor.fix(before, dryRun, actor);
        DoctorReport after = dryRun || applied.isEmpty() ? before : doctor.run(bindHost);
        ObjectNode n = after.toJson();
        n.set("fixes", Doctor.toJson(applied, dryRun));
        return n;
    }

    private ObjectNode connectors() {
        ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
        for (RegistryEntry e : registry().entries()) {
            a.add(connector(e));
        }
        return CanonicalJson.MAPPER.createObjectNode().set("connectors", a);
    }

    /**
     * Enables or disables through the governed path, the same tool call as {@code cloned connectors enable|disable}:
     * the pack decides (an approval where it asks for one, 202 with its id), the audit records it, and enabling
     * re-verifies the installed copy and registers its tools at once. A copy that no longer verifies is refused with
     * the verifier's own error code before anything is called.
     */
    private Reply setEnabled(String id, boolean enabled, String actor) {
        RegistryEntry installed = registry().find(id).orElseThrow(() -> ConnectorRegistry.notInstalled(id));
        if (enabled) {
            VerificationReport v = gw.installer().verifyInstalled(installed.id());
            if (!v.verified()) {
                throw new ClonedException(v.errorCode(), "connector " + id + " does not verify: " + v.reason(),
                    "reinstall it from a signed package (`cloned connectors install PATH`)");
            }
        }
        CallResult r = gw.calls().call(new ToolCallEnvelope(enabled ? ConnectorTools.ENABLE : ConnectorTools.DISABLE,
            CanonicalJson.MAPPER.createObjectNode().put("id", id), actor, false, null));
        if (r.status() == CallResult.Status.FAILED) {
            throw new ClonedException(ErrorCode.CONNECTOR_FAILED, gw.redactor().redact(
                (enabled ? "enabling " : "disabling ") + id + " failed: " + r.error()), "see the gateway log");
        }
        if (r.status() != CallResult.Status.SUCCEEDED) {
            return CallRoutes.reply(r); // denied (403) or waiting for an approval (202)
        }
        return Reply.ok(connector(registry().find(id).orElseThrow(() -> ConnectorRegistry.notInstalled(id))));
    }

    private ObjectNode connector(RegistryEntry e) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("id", e.id()).put("version", e.version())
            .put("publisher_id", e.publisherId()).put("enabled", e.enabled())
            .put("installed_at", e.installedAt().toString());
        n.set("tools", CanonicalJson.MAPPER.valueToTree(e.tools()));
        n.put("tools_registered", gw.tools().all().stream()
            .filter(t -> e.id().equals(t.descriptor().connectorId())).count());
        return n;
    }

    private ConnectorRegistry registry() {
        return new ConnectorRegistry(gw.workspace().dir());
    }

    /** The gateway's own vault settings and environment; every text passes the redactor. */
    @SuppressWarnings("unchecked")
    private ObjectNode vault() {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        VaultConfig cfg = VaultConfig.fromMap(CanonicalJson.MAPPER.convertValue(gw.config().vault(), Map.class));
        Redactor r = gw.redactor();
        n.put("provider", cfg.provider().id());
        try (Vault v = Vaults.open(cfg, gw.workspace().dir(), gw.environment(), r.vaultListener(VaultListener.NONE))) {
            VaultStatus s = v.status();
            n.put("reachable", s.reachable()).put("location", r.redact(s.location()))
                .put("development_only", s.developmentOnly()).put("message", r.redact(s.message()));
            ArrayNode refs = n.putArray("secrets");
            if (s.reachable()) {
                v.list().forEach(i -> refs.add(CanonicalJson.MAPPER.valueToTree(i)));
            }
        } catch (ClonedException e) {
            n.put("reachable", false).put("message", r.redact(e.getMessage())).put("code", e.code().code());
            if (e.hint() != null) {
                n.put("hint", r.redact(e.hint()));
            }
        }
        return n;
    }

    private Reply graph(String format) {
        CapabilityGraph g = CapabilityGraph.loadBuiltin();
        switch (format) {
            case "dot":
                return Reply.text(200, "text/plain; charset=utf-8", new DotRenderer().render(g));
            case "mermaid":
                return Reply.text(200, "text/plain; charset=utf-8", new MermaidRenderer().render(g));
            default:
                try {
                    return Reply.ok(CanonicalJson.MAPPER.readTree(new JsonRenderer().render(g)));
                } catch (java.io.IOException e) {
                    throw new ClonedException(ErrorCode.GRAPH_INVALID, "the graph did not render as JSON");
                }
        }
    }
}
