package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.ExitCodes;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.gateway.demo.DemoScenario;
import dev.cloned.rules.json.CanonicalJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cloned demo}: the governed path end to end, in a fresh temporary workspace, with no network. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a scripted scenario through the governed path in a fresh workspace and verify the audit chain.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;
    @Option(names = "--dir", paramLabel = "DIR", description = "Use this (new) folder instead of a temporary one.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("cloned-demo-");
        DemoScenario.Result r = new DemoScenario(root, Clock.systemUTC()).run();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("workspace", root.toString());
            n.set("steps", CanonicalJson.MAPPER.valueToTree(r.steps()));
            n.set("audit", CanonicalJson.MAPPER.valueToTree(r.audit()));
            OutputOption.printJson(out, n);
        } else {
            out.println("Cloned demo — workspace " + root);
            out.println();
            OutputOption.printTable(out, List.of("#", "STEP", "TOOL", "RESULT", "WHY"),
                java.util.stream.IntStream.range(0, r.steps().size()).mapToObj(i -> {
                    DemoScenario.Step s = r.steps().get(i);
                    return List.of(Integer.toString(i + 1), s.what(), s.tool(), s.status(), s.detail());
                }).toList());
            out.println();
            out.println(r.audit().ok() ? "audit chain intact: " + r.audit().entries() + " entries, last hash "
                + r.audit().lastHash() : "audit chain BROKEN at line " + r.audit().badLine() + ": " + r.audit().problem());
            out.println("Look around: cloned --workspace " + root + " audit tail | budgets | approvals list");
        }
        return r.audit().ok() ? ExitCodes.OK : ExitCodes.INTERNAL;
    }
}
