package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.ExitCodes;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.audit.AuditVerification;
import dev.cloned.runtime.audit.AuditVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** {@code cloned audit verify|tail}: prove the chain, read the newest entries. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify or read the hash-chained audit log.")
public final class AuditCommand {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify every entry's sequence and hash; exit 0 when intact, 1 naming the first bad line.")
    int verify() {
        Workspace w = ws.workspace();
        w.requireExists();
        AuditVerification v = AuditVerifier.verify(w.auditLog());
        if (output.json()) {
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("ok", v.ok()).put("entries", v.entries())
                .put("last_hash", v.lastHash());
            if (!v.ok()) {
                n.put("bad_line", v.badLine()).put("problem", v.problem());
            }
            OutputOption.printJson(spec.commandLine().getOut(), n);
        } else if (v.ok()) {
            spec.commandLine().getOut().println("audit chain intact: " + v.entries() + " entries, last hash " + v.lastHash());
        } else {
            spec.commandLine().getErr().println("audit chain BROKEN at line " + v.badLine() + ": " + v.problem()
                + " (" + v.entries() + " entries before it verify)");
        }
        return v.ok() ? ExitCodes.OK : ExitCodes.INTERNAL;
    }

    @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print the newest entries.")
    int tail(@Option(names = {"-n", "--lines"}, defaultValue = "10", description = "How many. Default: 10.") int n)
        throws IOException {
        Workspace w = ws.workspace();
        w.requireExists();
        List<String> lines = Files.readAllLines(w.auditLog());
        List<String> last = lines.subList(Math.max(0, lines.size() - n), lines.size());
        if (output.json()) {
            ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
            for (String l : last) {
                a.add(CanonicalJson.MAPPER.readTree(l));
            }
            OutputOption.printJson(spec.commandLine().getOut(), a);
        } else {
            last.forEach(spec.commandLine().getOut()::println);
        }
        return 0;
    }
}
