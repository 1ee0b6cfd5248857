package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.ExitCodes;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.connectors.ConnectorTools;
import dev.cloned.gateway.json.Views;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.connectors.InstalledConnector;
import dev.cloned.runtime.connectors.PackageSigner;
import dev.cloned.runtime.connectors.RegistryEntry;
import dev.cloned.runtime.connectors.VerificationReport;
import dev.cloned.runtime.redact.Redactor;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code cloned connectors install|list|verify|enable|disable|remove|sign}. Install verifies signature, hashes,
 * revocations and the pack's allowed publishers; enable and disable are governed tool calls (the pack decides, the
 * audit records); install, remove and rejections are audited as system events.
 */
@Command(name = "connectors", mixinStandardHelpOptions = true,
    description = "Install, verify, enable, disable, remove and sign connector packages.")
public final class ConnectorsCommand {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    @Command(name = "install", mixinStandardHelpOptions = true,
        description = "Verify and install a package (disabled). Exit 3 when rejected, with the exact reason.")
    int install(@Parameters(paramLabel = "PATH") Path path,
                @Option(names = "--dry-run", description = "Verify and report; install nothing.") boolean dryRun) {
        try (ClonedGateway gw = ws.open()) {
            if (dryRun) {
                VerificationReport r = gw.installer().dryRun(path);
                printReports(List.of(r));
                return r.verified() ? ExitCodes.OK : ExitCodes.of(r.errorCode());
            }
            InstalledConnector c;
            try {
                c = gw.installer().install(path);
            } catch (ClonedException e) {
                system(gw, "connector.install_rejected", CanonicalJson.MAPPER.createObjectNode()
                    .put("path", path.toAbsolutePath().toString()).put("code", e.code().code()).put("reason", e.getMessage()));
                throw e;
            }
            system(gw, "connector.installed", CanonicalJson.MAPPER.createObjectNode().put("id", c.id())
                .put("version", c.version()).put("publisher_id", c.entry().publisherId())
                .put("manifest_sha256", c.entry().manifestSha256()));
            if (output.json()) {
                OutputOption.printJson(out(), entry(c.entry()));
            } else {
                out().println("installed " + c.id() + " " + c.version() + " from " + c.entry().publisherId()
                    + " (disabled; tools: " + String.join(", ", c.entry().tools()) + ")");
                out().println("enable it with: cloned connectors enable " + c.id());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Installed connectors.")
    int list() {
        try (ClonedGateway gw = ws.open()) {
            List<RegistryEntry> all = gw.installer().registry().entries();
            if (output.json()) {
                ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
                all.forEach(e -> a.add(entry(e)));
                OutputOption.printJson(out(), a);
                return ExitCodes.OK;
            }
            OutputOption.printTable(out(), List.of("ID", "VERSION", "PUBLISHER", "ENABLED", "TOOLS"),
                all.stream().map(e -> List.of(e.id(), e.version(), e.publisherId(), e.enabled() ? "yes" : "no",
                    String.join(", ", e.tools()))).toList());
            return ExitCodes.OK;
        }
    }

    /** {@code ID} or {@code --all}. */
    static final class Which {
        @Parameters(paramLabel = "ID", description = "The connector to verify.")
        String id;
        @Option(names = "--all", description = "Verify every installed connector.")
        boolean all;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Re-verify installed copies against current trust, revocations and policy. Exit 3 on any failure.")
    int verify(@ArgGroup(multiplicity = "1") Which which) {
        try (ClonedGateway gw = ws.open()) {
            List<VerificationReport> reports = which.all ? gw.installer().verifyAll()
                : List.of(gw.installer().verifyInstalled(which.id));
            printReports(reports);
            return reports.stream().filter(r -> !r.verified()).findFirst().map(r -> ExitCodes.of(r.errorCode()))
                .orElse(ExitCodes.OK);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
        description = "Enable a connector through the governed path (" + ConnectorTools.ENABLE + ").")
    int enable(@Parameters(paramLabel = "ID") String id) {
        return governed(ConnectorTools.ENABLE, id);
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Disable a connector through the governed path (" + ConnectorTools.DISABLE + ").")
    int disable(@Parameters(paramLabel = "ID") String id) {
        return governed(ConnectorTools.DISABLE, id);
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Stop, unregister and delete a connector.")
    int remove(@Parameters(paramLabel = "ID") String id) {
        try (ClonedGateway gw = ws.open()) {
            if (!gw.connectors().remove(id)) {
                throw new ClonedException(ErrorCode.NOT_FOUND, "connector " + id + " is not installed",
                    "see 'cloned connectors list'");
            }
            system(gw, "connector.removed", CanonicalJson.MAPPER.createObjectNode().put("id", id));
            out().println("removed " + id);
            return ExitCodes.OK;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
        description = "For authors: list every file of DIR with its SHA-256 in the manifest and sign it (package.sig).")
    int sign(@Parameters(paramLabel = "DIR") Path dir,
             @Option(names = "--key", required = true, paramLabel = "FILE", description = "Publisher private key (PEM, 0600).") Path key) {
        String sha = PackageSigner.sign(dir, key);
        out().println("signed " + dir + " (manifest sha256 " + sha + ")");
        return ExitCodes.OK;
    }

    private int governed(String tool, String id) {
        try (ClonedGateway gw = ws.open()) {
            ToolCallEnvelope env = new ToolCallEnvelope(tool, CanonicalJson.MAPPER.createObjectNode().put("id", id),
                WorkspaceOption.actor(), false, null);
            CallResult r = gw.calls().call(env);
            if (output.json()) {
                OutputOption.printJson(out(), Views.callResult(r));
            } else {
                CallPrinter.print(out(), tool, r);
            }
            return ExitCodes.of(r);
        }
    }

    private void printReports(List<VerificationReport> given) {
        // A reason may quote a path or a manifest's text: it passes the redactor like every other output.
        Redactor redactor = WorkspaceOption.redactor();
        List<VerificationReport> reports = given.stream().map(r -> new VerificationReport(redactor.redact(r.location()),
            r.connectorId(), r.version(), r.publisherId(), r.verified(), r.errorCode(), redactor.redact(r.reason()),
            r.tools(), r.warnings().stream().map(redactor::redact).toList())).toList();
        if (output.json()) {
            ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
            reports.forEach(r -> a.add(report(r)));
            OutputOption.printJson(out(), a);
            return;
        }
        for (VerificationReport r : reports) {
            String what = r.connectorId() == null ? r.location() : r.connectorId() + " " + r.version();
            out().println((r.verified() ? "verified: " : "REJECTED: ") + what + " — "
                + (r.verified() ? r.reason() : r.reason() + " [" + r.errorCode().code() + "]"));
            r.warnings().forEach(w -> out().println("  warning: " + w));
        }
    }

    /** A report as JSON, in the field names and stable error codes of every other JSON output. */
    private static ObjectNode report(VerificationReport r) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("location", r.location())
            .put("connector_id", r.connectorId()).put("version", r.version()).put("publisher_id", r.publisherId())
            .put("verified", r.verified()).put("error_code", r.errorCode() == null ? null : r.errorCode().code())
            .put("reason", r.reason());
        r.tools().forEach(n.putArray("tools")::add);
        r.warnings().forEach(n.putArray("warnings")::add);
        return n;
    }

    private static ObjectNode entry(RegistryEntry e) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("id", e.id()).put("version", e.version())
            .put("publisher_id", e.publisherId()).put("enabled", e.enabled())
            .put("installed_at", e.installedAt().toString()).put("manifest_sha256", e.manifestSha256());
        ArrayNode t = n.putArray("tools");
        e.tools().forEach(t::add);
        return n;
    }

    private static void system(ClonedGateway gw, String event, ObjectNode details) {
        gw.audit().append(AuditEntries.system(Instant.now(), WorkspaceOption.actor(), gw.config().workspaceId(), event,
            details));
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
