package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.support.Inputs;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.PolicyJson;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.BudgetPeriod;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.rules.simulate.RecordedCall;
import dev.cloned.rules.simulate.SimulationReport;
import dev.cloned.rules.simulate.SimulationText;
import dev.cloned.rules.simulate.Simulator;
import dev.cloned.runtime.policy.PolicySimulation;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** {@code cloned policy simulate}: replay recorded (or hand-written) calls through a candidate pack. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Replay recorded decisions (or --calls) through a candidate pack and report what would change.")
public final class PolicySimulateCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    PolicyCommand parent;
    @Spec
    CommandSpec spec;

    @Option(names = "--candidate", required = true, paramLabel = "DIR|FILE",
        description = "A pack directory, an overlay directory, an overlay .yaml file or an extra .drl file.")
    Path candidate;
    @Option(names = "--calls", paramLabel = "FILE.jsonl",
        description = "Replay these envelopes (one JSON per line, optional \"at\") instead of the audit history.")
    Path calls;
    @Option(names = "--since", paramLabel = "T", description = "Oldest decision to replay (ISO instant or date).")
    String since;
    @Option(names = "--until", paramLabel = "T", description = "Replay decisions before this instant.")
    String until;
    @Option(names = "--limit", defaultValue = "1000000", description = "At most N decisions. Default: ${DEFAULT-VALUE}.")
    int limit;
    @Option(names = "--sample", defaultValue = "20", description = "Changed calls to show. Default: ${DEFAULT-VALUE}.")
    int sample;
    @Option(names = "--include-dry-runs", description = "Replay recorded dry runs too.")
    boolean dryRuns;
    @Option(names = "--report", paramLabel = "FILE.md", description = "Also write a Markdown report.")
    Path report;

    @Override
    public Integer call() throws IOException {
        try (ClonedGateway gw = parent.ws.open()) {
            PolicySimulation sim = new PolicySimulation(gw.policy(), Clock.systemUTC());
            PolicyPack pack = sim.candidate(candidate);
            PolicyEngine engine = sim.compile(pack);
            Simulator.Options opts = Simulator.Options.defaults().withSampleSize(sample).withDryRuns(dryRuns);
            List<RecordedCall> replay;
            if (calls != null) {
                replay = envelopes(gw);
                opts = opts.withSeed((cat, start) -> gw.store().used(cat, start));
            } else {
                replay = sim.history(gw.store(), instant(since, "--since"), instant(until, "--until"), limit,
                    List.of(gw.policy().current().pack(), pack));
            }
            SimulationReport r = sim.run(engine, replay, opts);
            if (report != null) {
                Files.writeString(report, SimulationText.markdown(r, gw.config().policyPack() + " (active)",
                    candidate.toString()));
            }
            if (parent.output.json()) {
                ObjectNode n = (ObjectNode) PolicyJson.tree(r);
                n.put("candidate", candidate.toString());
                OutputOption.printJson(spec.commandLine().getOut(), n);
            } else {
                spec.commandLine().getOut().print(SimulationText.text(r));
                spec.commandLine().getOut().flush();
                if (report != null) {
                    spec.commandLine().getOut().println("report written to " + report);
                }
            }
            return 0;
        }
    }

    private List<RecordedCall> envelopes(ClonedGateway gw) throws IOException {
        List<RecordedCall> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(calls);
        Instant now = Instant.now();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = calls + ":" + (i + 1);
            JsonNode doc = Inputs.json(line, where);
            Instant at = now;
            if (doc instanceof ObjectNode o && o.has("at")) {
                at = instant(o.remove("at").asText(), where + ": at");
            }
            try {
                ToolCallEnvelope env = ToolCallEnvelope.parse(doc);
                out.add(new RecordedCall(i + 1, "line_" + (i + 1), gw.calls().factsFor(env, at), null, false, true));
            } catch (ClonedException e) {
                throw new ClonedException(e.code(), where + ": " + e.getMessage(), e.hint());
            }
        }
        return out;
    }

    static Instant instant(String s, String what) {
        if (s == null) {
            return null;
        }
        try {
            return s.length() == 10 ? BudgetPeriod.DAY.windowStart(Instant.parse(s + "T00:00:00Z")) : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, what + ": '" + s + "' is not an instant",
                "use e.g. 2026-03-01 or 2026-03-01T12:00:00Z");
        }
    }

}
