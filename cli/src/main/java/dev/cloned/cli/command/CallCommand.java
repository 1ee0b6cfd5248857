package dev.cloned.cli.command;

import dev.cloned.cli.ExitCodes;
import dev.cloned.cli.support.Inputs;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.json.Views;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code cloned call TOOL --input JSON}: one governed tool call. */
@Command(name = "call", mixinStandardHelpOptions = true,
    description = "Call a tool through the governed path (decide, charge, approve, audit, dispatch).",
    footer = {"", "Exit codes: 0 ran (or dry run), 3 denied or waiting for approval, 2 bad input, 1 tool failed."})
public final class CallCommand implements Callable<Integer> {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "TOOL_ID", description = "Full tool id with version, e.g. cloned.internal.echo@v1")
    String toolId;
    @Option(names = {"-i", "--input"}, defaultValue = "{}", paramLabel = "JSON",
        description = "Tool input: inline JSON, @file.json, or - for standard input. Default: {}")
    String input;
    @Option(names = "--actor", description = "Who is calling (recorded in the audit). Default: cli:<user>.")
    String actor;
    @Option(names = "--dry-run", description = "Decide and record only: dispatch nothing, charge nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        ToolCallEnvelope env = new ToolCallEnvelope(toolId, Inputs.json(input, "--input"),
            actor == null ? WorkspaceOption.actor() : actor, dryRun, null);
        ToolCallEnvelope.parse(env.toJson()); // the same envelope validation every entry point gets
        try (ClonedGateway gw = ws.open()) {
            CallResult r = gw.calls().call(env);
            if (output.json()) {
                OutputOption.printJson(spec.commandLine().getOut(), Views.callResult(r));
            } else {
                CallPrinter.print(spec.commandLine().getOut(), toolId, r);
            }
            return ExitCodes.of(r);
        }
    }
}
