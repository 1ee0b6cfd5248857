package dev.cloned.cli.command;

import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.PolicyJson;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.rules.diff.PackDiff;
import dev.cloned.rules.diff.PackDiffs;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.policy.ActivePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code cloned policy diff A B}: rule and data differences between two packs. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Rule and data differences between two packs: built-in names, pack directories, or 'active'.")
public final class PolicyDiffCommand implements Callable<Integer> {
    @ParentCommand
    PolicyCommand parent;
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "personal|shared|enterprise|active|DIR")
    String a;
    @Parameters(index = "1", paramLabel = "B", description = "personal|shared|enterprise|active|DIR")
    String b;

    @Override
    public Integer call() {
        PackDiff d = PackDiffs.between(a, load(a), b, load(b));
        if (parent.output.json()) {
            OutputOption.printJson(spec.commandLine().getOut(), PolicyJson.tree(d));
        } else {
            spec.commandLine().getOut().print(PackDiffs.text(d));
                spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private PolicyPack load(String name) {
        if (name.equals("active")) {
            return new ActivePolicy(parent.ws.workspace(), Clock.systemUTC()).loadPack();
        }
        return PackLoader.resolve(name, Path.of(""));
    }
}
