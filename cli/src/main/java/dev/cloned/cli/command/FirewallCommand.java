package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.ExitCodes;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.EgressMatch;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.firewall.Firewall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Instant;
import java.util.List;

/** {@code cloned firewall list|allow|remove|check}: the egress allowlists, edited in the workspace overlay. */
@Command(name = "firewall", mixinStandardHelpOptions = true,
    description = "List, allow, remove or check egress hosts (edits go to the workspace overlay).")
public final class FirewallCommand {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    /** {@code --tool ID | --connector ID}. */
    static final class Scope {
        @Option(names = "--tool", paramLabel = "ID", description = "Allow for this tool only.")
        String tool;
        @Option(names = "--connector", paramLabel = "ID", description = "Allow for this connector only.")
        String connector;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Merged allowlists with each entry's origin.")
    int list() {
        try (ClonedGateway gw = ws.open()) {
            List<Firewall.Entry> entries = gw.firewall().list();
            if (output.json()) {
                OutputOption.printJson(spec.commandLine().getOut(), CanonicalJson.MAPPER.valueToTree(entries));
                return 0;
            }
            OutputOption.printTable(spec.commandLine().getOut(), List.of("HOST", "SCOPE", "FOR", "ORIGIN"),
                entries.stream().map(e -> List.of(e.host(), e.scope(), e.subject() == null ? "*" : e.subject(),
                    e.origin())).toList());
            return 0;
        }
    }

    @Command(name = "allow", mixinStandardHelpOptions = true, description = "Allow HOST (globally, or for a tool or connector).")
    int allow(@Parameters(paramLabel = "HOST") String host, @Mixin Scope scope,
              @Option(names = "--dry-run", description = "Show the change; write nothing.") boolean dryRun) {
        return edit(true, host, scope, dryRun);
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove HOST from the workspace overlay.")
    int remove(@Parameters(paramLabel = "HOST") String host, @Mixin Scope scope,
               @Option(names = "--dry-run", description = "Show the change; write nothing.") boolean dryRun) {
        return edit(false, host, scope, dryRun);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
        description = "Would HOST be reached? Exit 0 when allowed, 3 when denied.")
    int check(@Parameters(paramLabel = "HOST") String host, @Mixin Scope scope) {
        try (ClonedGateway gw = ws.open()) {
            EgressMatch m = gw.firewall().check(host, scope.tool, scope.connector);
            if (output.json()) {
                OutputOption.printJson(spec.commandLine().getOut(), CanonicalJson.MAPPER.valueToTree(m));
            } else {
                spec.commandLine().getOut().println((m.allowed() ? "allowed: " : "denied: ") + m.host() + " — "
                    + m.describe());
            }
            return m.allowed() ? ExitCodes.OK : ExitCodes.DENIED;
        }
    }

    private int edit(boolean allow, String host, Scope scope, boolean dryRun) {
        try (ClonedGateway gw = ws.open()) {
            Firewall.Edit e = allow ? gw.firewall().allow(host, scope.tool, scope.connector, dryRun)
                : gw.firewall().remove(host, scope.tool, scope.connector, dryRun);
            if (e.changed() && !dryRun) {
                ObjectNode d = CanonicalJson.MAPPER.valueToTree(e);
                d.put("overlay", e.overlay().toString());
                gw.audit().append(AuditEntries.system(Instant.now(), WorkspaceOption.actor(), gw.config().workspaceId(),
                    allow ? "firewall.allow" : "firewall.remove", d));
            }
            if (output.json()) {
                ObjectNode n = CanonicalJson.MAPPER.valueToTree(e);
                n.put("overlay", e.overlay().toString()).put("dry_run", dryRun);
                OutputOption.printJson(spec.commandLine().getOut(), n);
            } else {
                String what = (allow ? "allow " : "remove ") + e.host() + " (" + e.scope()
                    + (e.subject() == null ? "" : " " + e.subject()) + ")";
                spec.commandLine().getOut().println((dryRun ? "would " : "") + (e.changed() ? what
                    : "no change: " + what + (allow ? " is already allowed" : " is not in the overlay"))
                    + (e.changed() && !dryRun ? " -> " + e.overlay() : ""));
            }
            return 0;
        }
    }
}
