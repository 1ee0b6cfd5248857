package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.cli.support.Inputs;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.PolicyJson;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.Decision;
import dev.cloned.rules.explain.Explanation;
import dev.cloned.rules.explain.Explanations;
import dev.cloned.rules.explain.RecordedDecision;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.audit.AuditLines;
import dev.cloned.runtime.store.AuditRow;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cloned policy explain}: every rule that fired, in order, with the facts it matched, and why the effect won. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Explain a decision: a call envelope decided now (changes nothing), or a recorded one by audit seq.")
public final class PolicyExplainCommand implements Callable<Integer> {
    @ParentCommand
    PolicyCommand parent;
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** {@code --call FILE|-} or {@code --seq N}. */
    static final class Source {
        @Option(names = "--call", paramLabel = "FILE|-", description = "Tool-call envelope JSON file, or - for stdin.")
        String call;
        @Option(names = "--seq", paramLabel = "N", description = "A recorded decision, by audit sequence number.")
        Long seq;
    }

    @Override
    public Integer call() throws IOException {
        try (ClonedGateway gw = parent.ws.open()) {
            Decision d = source.call != null
                ? gw.calls().evaluate(ToolCallEnvelope.parse(Inputs.file(source.call, "--call")))
                : recorded(gw, source.seq);
            Explanation e = Explanations.of(d);
            if (parent.output.json()) {
                OutputOption.printJson(spec.commandLine().getOut(), PolicyJson.tree(e));
            } else {
                spec.commandLine().getOut().print(Explanations.text(e));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    private static Decision recorded(ClonedGateway gw, long seq) throws IOException {
        List<AuditRow> rows = gw.store().audit(seq - 1, 1);
        if (rows.isEmpty() || rows.get(0).seq() != seq) {
            throw new ClonedException(ErrorCode.NOT_FOUND, "no audit entry with seq " + seq,
                "see `cloned audit tail` for recent entries");
        }
        JsonNode entry = CanonicalJson.MAPPER.readTree(AuditLines.read(gw.workspace().auditLog(), rows).get(0));
        if (!entry.has("policy_decision")) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "audit entry " + seq + " (" + entry.path("kind").asText()
                + ") records no decision");
        }
        return RecordedDecision.read(entry.get("policy_decision"), entry.get("costs"));
    }
}
