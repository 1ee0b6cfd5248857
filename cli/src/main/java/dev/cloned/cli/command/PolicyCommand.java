package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.ExitCodes;
import dev.cloned.cli.support.Inputs;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.json.Views;
import dev.cloned.rules.Decision;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.PolicyProblem;
import dev.cloned.rules.Policies;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.rules.testing.PolicyTestReport;
import dev.cloned.rules.testing.PolicyTests;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** {@code cloned policy show|validate|eval|test|simulate|explain|diff|status}: the active pack, as rules. */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Show, validate, evaluate, test, simulate, explain and diff policy packs; show reload status.",
    subcommands = {PolicySimulateCommand.class, PolicyExplainCommand.class, PolicyDiffCommand.class,
        PolicyStatusCommand.class})
public final class PolicyCommand {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = "The active pack: data, rule names and where each comes from (compiles nothing).")
    int show() {
        Workspace w = ws.workspace();
        PolicyPack pack = new ActivePolicy(w, Clock.systemUTC()).loadPack();
        ObjectNode n = CanonicalJson.MAPPER.valueToTree(pack);
        n.remove("rules");
        n.remove("tests");
        n.put("hash", Policies.hash(pack));
        n.set("rules", CanonicalJson.MAPPER.valueToTree(Policies.ruleInfo(pack)));
        if (output.json()) {
            OutputOption.printJson(out(), n);
            return 0;
        }
        out().println("pack:    " + pack.packId() + " " + pack.version() + " (tier " + pack.tier() + ")");
        out().println("hash:    " + n.get("hash").asText());
        pack.budgets().forEach((k, v) -> out().println("budget:  " + k + " " + v.cap() + " per " + v.period()));
        pack.approvalRules().forEach(r -> out().println("approve: " + (r.riskLevel() != null ? "risk " + r.riskLevel()
            : r.costCategory() != null ? "cost " + r.costCategory() : "tool " + r.toolId()) + " -> " + r.approvers()));
        out().println("publishers: " + pack.allowlists().publishers());
        out().println("egress (global): " + pack.allowlists().egressDomains());
        out().println("ui.allowed_origins: " + pack.allowedOrigins());
        out().println("rules:");
        Policies.ruleInfo(pack).forEach(r -> out().println("  " + r.name() + "  <- " + r.source()));
        return 0;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Compile a pack (DIR, or the active pack with the overlay) and report every problem with file:line.")
    int validate(@Parameters(paramLabel = "DIR", arity = "0..1", description = "Pack directory") Path dir) {
        PolicyPack pack = pack(dir);
        List<PolicyProblem> problems = Policies.validate(pack);
        if (output.json()) {
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("ok", problems.isEmpty())
                .put("pack_id", pack.packId());
            n.set("problems", CanonicalJson.MAPPER.valueToTree(problems));
            OutputOption.printJson(out(), n);
        } else if (problems.isEmpty()) {
            out().println("valid: " + pack.packId() + " (" + Policies.ruleInfo(pack).size() + " rules)");
        } else {
            problems.forEach(p -> spec.commandLine().getErr().println(p.describe()));
            spec.commandLine().getErr().println(problems.size() + " problem(s); fix the rule at each line above");
        }
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.INVALID_POLICY;
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Decide a call envelope against the active pack and current budgets; changes nothing.")
    int eval(@Option(names = "--call", required = true, paramLabel = "FILE|-",
        description = "Tool-call envelope JSON file, or - for standard input.") String call) {
        ToolCallEnvelope env = ToolCallEnvelope.parse(Inputs.file(call, "--call"));
        try (ClonedGateway gw = ws.open()) {
            Decision d = gw.calls().evaluate(env);
            if (output.json()) {
                OutputOption.printJson(out(), Views.decision(d));
            } else {
                out().println(d.effect().wire() + " (" + d.primaryCode() + ")");
                d.firedRules().forEach(r -> out().println("  fired " + r.name() + "  " + r.matched()));
                d.reasons().forEach(r -> out().println("  " + r.effect().wire() + ": " + r.code() + " — " + r.message()));
            }
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the pack's test cases (DIR, or the active pack); every rule must have a case.")
    int test(@Parameters(paramLabel = "DIR", arity = "0..1", description = "Pack directory") Path dir) {
        PolicyPack pack = pack(dir);
        PolicyEngine engine = Policies.compile(pack, null, Clock.systemUTC());
        PolicyTestReport report = PolicyTests.run(engine, PolicyTests.parse(pack.tests()));
        if (output.json()) {
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("passed", report.passed())
                .put("failed", report.failed());
            ArrayNode cases = n.putArray("cases");
            report.results().forEach(r -> cases.addObject().put("name", r.testCase().name()).put("passed", r.passed())
                .set("failures", CanonicalJson.MAPPER.valueToTree(r.failures())));
            n.set("uncovered_rules", CanonicalJson.MAPPER.valueToTree(report.uncoveredRules()));
            OutputOption.printJson(out(), n);
        } else {
            report.results().forEach(r -> out().println((r.passed() ? "PASS " : "FAIL ") + r.testCase().name()
                + (r.passed() ? "" : "\n     " + String.join("\n     ", r.failures()))));
            report.uncoveredRules().forEach(r -> out().println("FAIL rule " + r + " has no test case"));
            out().println(report.summary());
        }
        return report.ok() ? ExitCodes.OK : ExitCodes.INVALID_POLICY;
    }

    private PolicyPack pack(Path dir) {
        if (dir != null) {
            return PackLoader.fromDirectory(dir);
        }
        return new ActivePolicy(ws.workspace(), Clock.systemUTC()).loadPack();
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
