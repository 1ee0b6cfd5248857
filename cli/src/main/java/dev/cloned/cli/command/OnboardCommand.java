package dev.cloned.cli.command;

import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.onboard.Conversation;
import dev.cloned.gateway.onboard.OnboardJson;
import dev.cloned.gateway.onboard.Onboarding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cloned onboard}: a conversation (or a script) that ends in a Plan of Record and the setup policy allows. */
@Command(name = "onboard", mixinStandardHelpOptions = true,
    description = {"Plan the setup for a goal: pick a blueprint (rules), check it with the policy engine, write a "
        + "Plan of Record to .cloned/plans/ and run the setup steps the policy allows without approval.",
        "Interactive on standard input; for scripts pass --goal ... --yes."})
public final class OnboardCommand implements Callable<Integer> {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;
    @Option(names = "--goal", paramLabel = "TEXT", description = "The goal; asked for when absent.")
    String goal;
    @Option(names = "--constraint", paramLabel = "K=V", description = "A constraint (repeatable): no_publishing, "
        + "offline, max_monthly_budget=N, max_monthly_budget.CATEGORY=N, tier=personal|shared|enterprise.")
    List<String> constraints;
    @Option(names = "--blueprint", paramLabel = "ID", description = "Use this ranked blueprint instead of the best fit.")
    String blueprint;
    @Option(names = "--yes", description = "Answer yes to every confirmation (for scripts).")
    boolean yes;
    @Option(names = "--dry-run", description = "Print the plan and the pre-flight only; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (output.json() && (goal == null || !(yes || dryRun))) {
            throw new ParameterException(spec.commandLine(), "--output json needs --goal and --yes or --dry-run");
        }
        // With --output json the conversation goes to stderr so stdout stays one JSON document.
        PrintWriter talk = output.json() ? spec.commandLine().getErr() : spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> given = constraints != null ? constraints : goal != null ? List.of() : null;
        try (ClonedGateway gw = ws.open()) {
            Conversation.Outcome o = new Conversation(Onboarding.builtin(gw, Clock.systemUTC()), in, talk)
                .run(new Conversation.Options(goal, given, blueprint, yes, dryRun, WorkspaceOption.actor()));
            if (output.json() && o.plan() != null) {
                OutputOption.printJson(spec.commandLine().getOut(), OnboardJson.outcome(o.plan(), o.report(), dryRun));
            }
            talk.flush();
            return 0;
        }
    }
}
