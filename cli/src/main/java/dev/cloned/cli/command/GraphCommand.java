package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.onboard.WorkspaceInventory;
import dev.cloned.graph.BlueprintMatch;
import dev.cloned.graph.BlueprintPlan;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.Explanation;
import dev.cloned.graph.GraphFormat;
import dev.cloned.graph.MissingCapability;
import dev.cloned.graph.Planner;
import dev.cloned.rules.json.CanonicalJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;

/** {@code cloned graph show|explain}: the capability graph, and what a goal would take. */
@Command(name = "graph", mixinStandardHelpOptions = true,
    description = "The capability graph: export it, or explain what a goal needs and what is missing.")
public final class GraphCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the graph (blueprints, capabilities, connectors, tools and their edges).")
    int show(@Option(names = "--format", defaultValue = "dot", paramLabel = "FORMAT",
        description = "dot, json or mermaid. Default: ${DEFAULT-VALUE}.") String format) {
        GraphFormat f;
        try {
            f = GraphFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, e.getMessage(), "use --format dot, json or mermaid");
        }
        out().print(f.render(CapabilityGraph.loadBuiltin()));
        out().flush();
        return 0;
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Which blueprints a goal matches, the capabilities each needs, the connectors in setup order, "
            + "and what is missing with how to get it (uses the workspace's installed connectors when there is one).")
    int explain(@Mixin WorkspaceOption ws, @Mixin OutputOption output,
                @Parameters(arity = "1..*", paramLabel = "GOAL", description = "The goal, in words.") List<String> words) {
        String goal = String.join(" ", words);
        CapabilityGraph graph = CapabilityGraph.loadBuiltin();
        Explanation e = Planner.over(graph).explain(goal, WorkspaceInventory.of(ws.workspace()));
        if (output.json()) {
            OutputOption.printJson(out(), json(e));
            return 0;
        }
        out().println("goal: " + goal);
        if (e.matches().isEmpty()) {
            out().println("No blueprint's goal phrases match. Known blueprints: "
                + graph.catalog().blueprints().stream().map(b -> b.id() + " " + b.goals()).toList());
            return 0;
        }
        for (BlueprintMatch m : e.matches()) {
            out().println("matches " + m.blueprintId() + " on " + m.matchedGoals());
        }
        e.plans().forEach(this::print);
        return 0;
    }

    private void print(BlueprintPlan p) {
        PrintWriter out = out();
        out.println();
        out.println(p.blueprint().id() + ": " + p.blueprint().description());
        out.println("  capabilities: " + String.join(", ", p.capabilities()));
        out.println("  connectors (setup order):");
        int i = 1;
        for (ConnectorChoice c : p.connectors()) {
            out.println("    " + i++ + ". " + c.connectorId() + " [" + c.basis().wire() + "] covers " + c.covers());
        }
        if (p.missing().isEmpty()) {
            out.println("  missing: nothing");
        }
        for (MissingCapability m : p.missing()) {
            out.println("  missing " + m.capabilityId() + ": " + m.recommendation());
            m.manualSteps().forEach(s -> out.println("      - " + s));
        }
        out.println("  risk: " + p.risk().wire() + "; approvals: " + (p.requiredApprovals().isEmpty() ? "none"
            : String.join(", ", p.requiredApprovals())) + "; publishes content: " + p.publishesContent());
        out.println("  egress hosts: " + (p.egressHosts().isEmpty() ? "none" : String.join(", ", p.egressHosts())));
        p.notes().forEach(n -> out.println("  note: " + n));
    }

    private static ObjectNode json(Explanation e) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("goal", e.goal());
        ArrayNode matches = n.putArray("matches");
        e.matches().forEach(m -> matches.addObject().put("blueprint_id", m.blueprintId())
            .set("matched_goals", CanonicalJson.MAPPER.valueToTree(m.matchedGoals())));
        ArrayNode plans = n.putArray("plans");
        for (BlueprintPlan p : e.plans()) {
            ObjectNode x = plans.addObject().put("blueprint_id", p.blueprint().id());
            x.set("capabilities", CanonicalJson.MAPPER.valueToTree(p.capabilities()));
            ArrayNode cs = x.putArray("connectors");
            p.connectors().forEach(c -> cs.addObject().put("id", c.connectorId()).put("publisher_id", c.publisherId())
                .put("basis", c.basis().wire()).put("installed", c.installed())
                .<ObjectNode>set("covers", CanonicalJson.MAPPER.valueToTree(c.covers()))
                .set("manual_steps", CanonicalJson.MAPPER.valueToTree(c.manualSteps())));
            ArrayNode ms = x.putArray("missing");
            for (MissingCapability m : p.missing()) {
                ObjectNode mm = ms.addObject().put("capability", m.capabilityId()).put("installable", m.installable())
                    .put("recommendation", m.recommendation());
                m.connectorId().ifPresent(c -> mm.put("connector", c));
                mm.set("manual_steps", CanonicalJson.MAPPER.valueToTree(m.manualSteps()));
            }
            x.put("risk", p.risk().wire()).put("publishes_content", p.publishesContent());
            x.set("required_approvals", CanonicalJson.MAPPER.valueToTree(p.requiredApprovals()));
            x.set("unknown_cost_capabilities", CanonicalJson.MAPPER.valueToTree(p.unknownCostCapabilities()));
            x.set("egress_hosts", CanonicalJson.MAPPER.valueToTree(p.egressHosts()));
            x.set("notes", CanonicalJson.MAPPER.valueToTree(p.notes()));
        }
        return n;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
