package dev.cloned.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.audit.AuditLog;
import dev.cloned.runtime.files.AtomicFiles;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.policy.PolicyStatus;
import dev.cloned.runtime.store.SqliteStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code cloned init}: creates what is missing of {@code .cloned/} and never touches what exists. A dry run only
 * reports what it would create.
 */
public final class WorkspaceInit {
    private final Workspace ws;
    private final Clock clock;

    public WorkspaceInit(Workspace ws, Clock clock) {
        this.ws = ws;
        this.clock = clock;
    }

    /** One line of the init report. */
    public record Step(String path, String action) {
    }

    /** What init did (or would do), and the tier in effect. */
    public record Result(List<Step> steps, String tier, String note) {
    }

    /** Runs init for {@code tier}; with {@code dryRun} nothing is created. */
    public Result run(String tier, boolean dryRun) {
        if (!PackLoader.BUILT_IN.contains(tier)) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "unknown workspace type '" + tier + "'",
                "use --type personal, shared or enterprise");
        }
        String note = null;
        String effectiveTier = tier;
        if (ws.exists()) {
            WorkspaceConfig existing = ws.config();
            effectiveTier = existing.tier();
            if (!existing.tier().equals(tier)) {
                note = "workspace already exists as " + existing.tier() + "; kept (init never changes an existing workspace)";
            }
        }
        List<Step> steps = new ArrayList<>();
        dir(ws.dir(), steps, dryRun); // created open to its owner only: it holds state, approvals and the dev vault
        dir(ws.publishersDir(), steps, dryRun);
        dir(ws.policyDir(), steps, dryRun);
        dir(ws.artifactsDir(), steps, dryRun);
        dir(ws.connectorsDir(), steps, dryRun);
        file(ws.configFile(), steps, dryRun, () -> ws.writeConfig(new WorkspaceConfig(1,
            "ws_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16), tier, tier, clock.instant(),
            null, null, null)));
        file(ws.registryFile(), steps, dryRun, () -> Workspace.writeYamlAtomically(ws.registryFile(),
            CanonicalJson.MAPPER.createObjectNode().put("schema_version", 1)
                .set("connectors", CanonicalJson.MAPPER.createArrayNode())));
        file(ws.revocationsFile(), steps, dryRun, () -> write(ws.revocationsFile(), revocations()));
        file(ws.stateDb(), steps, dryRun, () -> SqliteStore.open(ws.stateDb()).close());
        file(ws.auditLog(), steps, dryRun, () -> write(ws.auditLog(), ""));
        file(PolicyStatus.file(ws), steps, dryRun, this::recordInitialPolicy);
        return new Result(steps, effectiveTier, note);
    }

    /** Records the pack this workspace starts with, in the policy status and as the first audit entry. */
    private void recordInitialPolicy() {
        ActivePolicy.Activation a = new ActivePolicy(ws, clock).recordInitial();
        try (SqliteStore store = SqliteStore.open(ws.stateDb()); AuditLog log = new AuditLog(ws.auditLog(), store)) {
            log.append(AuditEntries.system(a.at(), "cli:init", ws.config().workspaceId(), "policy.activated", a.toJson()));
        }
    }

    private static String revocations() {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("schema_version", 1);
        n.set("revoked_keys", CanonicalJson.MAPPER.createArrayNode());
        n.set("yanked", CanonicalJson.MAPPER.createArrayNode());
        return n.toPrettyString() + "\n";
    }

    private void dir(Path p, List<Step> steps, boolean dryRun) {
        if (Files.isDirectory(p)) {
            steps.add(new Step(rel(p) + "/", "exists"));
            return;
        }
        steps.add(new Step(rel(p) + "/", dryRun ? "would create" : "created"));
        if (!dryRun) {
            try {
                if (p.equals(ws.dir())) {
                    AtomicFiles.createPrivateDirectory(p);
                } else {
                    Files.createDirectories(p);
                }
            } catch (IOException e) {
                throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "cannot create " + p + ": " + e.getMessage());
            }
        }
    }

    private void file(Path p, List<Step> steps, boolean dryRun, Runnable create) {
        if (Files.exists(p)) {
            steps.add(new Step(rel(p), "exists"));
            return;
        }
        steps.add(new Step(rel(p), dryRun ? "would create" : "created"));
        if (!dryRun) {
            create.run();
        }
    }

    private static void write(Path p, String text) {
        try {
            Workspace.writeAtomically(p, text);
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "cannot write " + p + ": " + e.getMessage());
        }
    }

    private String rel(Path p) {
        return ws.root().relativize(p).toString();
    }
}
