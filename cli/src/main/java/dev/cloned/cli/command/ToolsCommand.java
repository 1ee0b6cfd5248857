package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.json.Views;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolDescriptor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code cloned tools}: the tools the gateway can call. */
@Command(name = "tools", mixinStandardHelpOptions = true, description = "List the tools the gateway knows.")
public final class ToolsCommand implements Callable<Integer> {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ClonedGateway gw = ws.open()) {
            List<ToolDescriptor> tools = gw.tools().all().stream().map(RegisteredTool::descriptor).toList();
            if (output.json()) {
                ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
                tools.forEach(t -> a.add(Views.tool(t)));
                OutputOption.printJson(spec.commandLine().getOut(), a);
                return 0;
            }
            OutputOption.printTable(spec.commandLine().getOut(), List.of("TOOL", "RISK", "COST", "DESCRIPTION"),
                tools.stream().map(t -> List.of(t.id(), t.riskLevel(),
                    t.costCategory() == null ? "free" : t.costCategory() + (t.costEstimate() == null ? " (unknown)" : ""),
                    t.description())).toList());
            return 0;
        }
    }
}
