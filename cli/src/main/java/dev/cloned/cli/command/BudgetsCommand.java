package dev.cloned.cli.command;

import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.json.Views;
import dev.cloned.rules.BudgetState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cloned budgets}: cap, used, remaining and window end per category. */
@Command(name = "budgets", mixinStandardHelpOptions = true, description = "Show budgets: cap, used, remaining, window end.")
public final class BudgetsCommand implements Callable<Integer> {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ClonedGateway gw = ws.open()) {
            List<BudgetState> states = gw.budgets().states(gw.policy().loadPack(), Instant.now());
            if (output.json()) {
                OutputOption.printJson(spec.commandLine().getOut(), Views.budgets(states));
                return 0;
            }
            OutputOption.printTable(spec.commandLine().getOut(),
                List.of("CATEGORY", "PERIOD", "CAP", "USED", "REMAINING", "WINDOW_END"),
                states.stream().map(b -> List.of(b.category(), b.period().wire(), Long.toString(b.cap()),
                    Long.toString(b.used()), Long.toString(b.remaining()), b.windowEnd().toString())).toList());
            return 0;
        }
    }
}
