package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.ExitCodes;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.audit.AuditEntry;
import dev.cloned.runtime.audit.AuditLog;
import dev.cloned.runtime.audit.AuditVerification;
import dev.cloned.runtime.audit.AuditVerifier;
import dev.cloned.runtime.store.SqliteStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** {@code cloned audit verify|reindex|tail}: prove the chain, accept a restored log, read the newest entries. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Verify or read the hash-chained audit log; reindex it after restoring an older copy.")
public final class AuditCommand {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify every entry's sequence and hash; exit 0 when intact, 1 naming the first bad line.")
    int verify() {
        Workspace w = ws.workspace();
        w.requireExists();
        AuditVerification v;
        try (SqliteStore index = Files.exists(w.stateDb()) ? SqliteStore.open(w.stateDb()) : null) {
            v = AuditVerifier.verify(w.auditLog(), index);
        }
        if (output.json()) {
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("ok", v.ok()).put("entries", v.entries())
                .put("last_hash", v.lastHash());
            if (!v.ok()) {
                n.put("bad_line", v.badLine()).put("problem", v.problem());
            }
            OutputOption.printJson(spec.commandLine().getOut(), n);
        } else if (v.ok()) {
            spec.commandLine().getOut().println("audit chain intact: " + v.entries() + " entries, last hash " + v.lastHash());
        } else {
            spec.commandLine().getErr().println("audit chain BROKEN at line " + v.badLine() + ": " + v.problem()
                + " (" + v.entries() + " entries before it verify)");
        }
        return v.ok() ? ExitCodes.OK : ExitCodes.INTERNAL;
    }

    @Command(name = "reindex", mixinStandardHelpOptions = true,
        description = "Accept audit.log as it is now and rebuild the store's index from it: after restoring an older "
            + "log on purpose, when the index records entries the log no longer holds (which otherwise denies every "
            + "call). The log's chain must verify. The reindex is recorded as an audit.reindexed entry.")
    int reindex(@Option(names = "--dry-run", description = "Say what would be indexed; change nothing.") boolean dryRun) {
        try (ClonedGateway gw = ws.open()) {
            Path log = gw.workspace().auditLog();
            AuditVerification chain = Files.exists(log) ? AuditVerifier.verify(log)
                : new AuditVerification(true, 0, 0, null, null);
            if (!chain.ok()) {
                throw new ClonedException(ErrorCode.AUDIT_BROKEN, "audit.log does not verify at line " + chain.badLine()
                    + ": " + chain.problem() + "; refusing to index a broken chain",
                    "restore a copy of audit.log whose chain verifies (`cloned audit verify`), then reindex");
            }
            String refusal = gw.audit().refusal().orElse(null);
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("dry_run", dryRun)
                .put("log_entries", chain.entries());
            n.put("replaced", refusal);
            if (!dryRun) {
                AuditLog.Reindexed r = gw.audit().reindex();
                ObjectNode details = CanonicalJson.MAPPER.createObjectNode().put("indexed", r.indexed())
                    .put("replaced", r.refusal());
                AuditEntry e = gw.audit().append(AuditEntries.system(Instant.now(), WorkspaceOption.actor(),
                    gw.config().workspaceId(), "audit.reindexed", details));
                n.put("indexed", r.indexed()).put("recorded_seq", e.seq());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOption.printJson(out, n);
            } else {
                if (refusal != null) {
                    out.println((dryRun ? "would replace: " : "replaced: ") + refusal);
                }
                out.println(dryRun ? "would index " + chain.entries() + " entries from " + log + " (dry run: nothing changed)"
                    : "indexed " + n.path("indexed").asInt() + " entries from " + log + "; recorded as entry "
                        + n.path("recorded_seq").asLong());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print the newest entries.")
    int tail(@Option(names = {"-n", "--lines"}, defaultValue = "10", description = "How many. Default: 10.") int n)
        throws IOException {
        Workspace w = ws.workspace();
        w.requireExists();
        List<String> lines = Files.readAllLines(w.auditLog());
        List<String> last = lines.subList(Math.max(0, lines.size() - n), lines.size());
        if (output.json()) {
            ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
            for (String l : last) {
                a.add(CanonicalJson.MAPPER.readTree(l));
            }
            OutputOption.printJson(spec.commandLine().getOut(), a);
        } else {
            last.forEach(spec.commandLine().getOut()::println);
        }
        return 0;
    }
}
