package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.WorkspaceInit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code cloned init}: create the workspace; never destroys what exists. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create .cloned/ for a personal, shared or enterprise workspace (idempotent).")
public final class InitCommand implements Callable<Integer> {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;
    @Option(names = "--type", defaultValue = "personal", paramLabel = "TIER",
        description = "personal, shared or enterprise (selects the built-in policy pack). Default: ${DEFAULT-VALUE}.")
    String type;
    @Option(names = "--dry-run", description = "List what would be created; create nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        WorkspaceInit.Result r = new WorkspaceInit(ws.workspace(), Clock.systemUTC()).run(type, dryRun);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("tier", r.tier()).put("dry_run", dryRun);
            n.set("steps", CanonicalJson.MAPPER.valueToTree(r.steps()));
            if (r.note() != null) {
                n.put("note", r.note());
            }
            OutputOption.printJson(out, n);
            return 0;
        }
        OutputOption.printTable(out, java.util.List.of("PATH", "ACTION"),
            r.steps().stream().map(s -> java.util.List.of(s.path(), s.action())).toList());
        if (r.note() != null) {
            out.println("note: " + r.note());
        }
        out.println((dryRun ? "dry run: nothing created. " : "") + "Tier " + r.tier()
            + "; see the policy with `cloned policy show`.");
        return 0;
    }
}
