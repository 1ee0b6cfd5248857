package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.json.Views;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.approval.Approval;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.store.ApprovalRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** {@code cloned approvals list|show|approve|deny}: the append-only approval queue. */
@Command(name = "approvals", mixinStandardHelpOptions = true, description = "List, show, approve or deny approvals.")
public final class ApprovalsCommand {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List approvals, newest first.")
    int list(@Option(names = "--status", description = "pending, approved, denied or consumed") String status) {
        try (ClonedGateway gw = ws.open()) {
            List<Approval> all = gw.approvals().list(status);
            if (output.json()) {
                ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
                all.forEach(x -> a.add(Views.approval(x)));
                OutputOption.printJson(out(), a);
                return 0;
            }
            OutputOption.printTable(out(), List.of("ID", "STATUS", "TOOL", "ACTOR", "RISK", "CREATED"),
                all.stream().map(x -> List.of(x.id(), x.status(), x.toolId(), x.actor(), x.risk(),
                    x.createdAt().toString())).toList());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one approval and its full history.")
    int show(@Parameters(paramLabel = "ID") String id) {
        try (ClonedGateway gw = ws.open()) {
            List<ApprovalRecord> history = gw.approvals().history(id);
            ObjectNode n = Views.approval(gw.approvals().find(id).orElseThrow());
            ArrayNode h = n.putArray("history");
            history.forEach(r -> h.addObject().put("kind", r.kind()).put("use", r.useNo()).put("at", r.at().toString())
                .put("actor", r.actor()).put("prev_hash", r.prevHash()).put("hash", r.thisHash()));
            if (output.json()) {
                OutputOption.printJson(out(), n);
            } else {
                n.fields().forEachRemaining(e -> out().println(e.getKey() + ": " + e.getValue()));
            }
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve a pending request; the exact call it was filed for may then run once.")
    int approve(@Parameters(paramLabel = "ID") String id,
                @Option(names = "--reason", defaultValue = "", description = "Why (recorded).") String reason,
                @Option(names = "--dry-run", description = "Show what would be decided; record nothing.") boolean dryRun) {
        return decide(id, true, reason, dryRun);
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a pending request.")
    int deny(@Parameters(paramLabel = "ID") String id,
             @Option(names = "--reason", required = true, description = "Why (recorded).") String reason,
             @Option(names = "--dry-run", description = "Show what would be decided; record nothing.") boolean dryRun) {
        return decide(id, false, reason, dryRun);
    }

    private int decide(String id, boolean approve, String reason, boolean dryRun) {
        try (ClonedGateway gw = ws.open()) {
            String actor = WorkspaceOption.actor();
            if (dryRun) {
                Approval a = gw.approvals().find(id).orElseThrow(() -> new dev.cloned.error.ClonedException(
                    dev.cloned.error.ErrorCode.NOT_FOUND, "no approval " + id, "list them with `cloned approvals list`"));
                out().println("would " + (approve ? "approve " : "deny ") + id + " (" + a.status() + ", " + a.toolId()
                    + ")" + (a.status().equals("pending") ? "" : " — but it is not pending, so this would fail"));
                return 0;
            }
            Approval a = approve ? gw.approvals().approve(id, actor, reason) : gw.approvals().deny(id, actor, reason);
            ObjectNode details = CanonicalJson.MAPPER.createObjectNode().put("approval_id", id)
                .put("decision", a.status()).put("tool_id", a.toolId()).put("payload_hash", a.payloadHash());
            gw.audit().append(AuditEntries.system(Instant.now(), actor, gw.config().workspaceId(),
                approve ? "approval.approved" : "approval.denied", details));
            if (output.json()) {
                OutputOption.printJson(out(), Views.approval(a));
            } else {
                out().println(id + " " + a.status() + " by " + actor
                    + (approve ? "; repeat the same call to run it (once)" : ""));
            }
            return 0;
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
