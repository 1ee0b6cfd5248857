package dev.cloned.gateway.connectors;

import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code cloned connectors enable|disable|remove ID} does (ConnectorsCommand: the governed call of the enable
 * or disable tool, or remove plus its audit entry), run in a JVM of its own against a workspace a gateway is serving:
 * the gateway module cannot start the CLI jar, and a second gateway in the test's JVM would share its file locks.
 */
public final class OtherProcess {
    private OtherProcess() {
    }

    /** {@code WORKSPACE enable|disable|remove ID}; exit 0 when the call succeeded. */
    public static void main(String[] args) {
        int exit;
        try (ClonedGateway gw = ClonedGateway.open(Workspace.at(Path.of(args[0])), Clock.systemUTC())) {
            exit = act(gw, args[1], args[2]);
        } // closing drains the audit log
        System.exit(exit);
    }

    private static int act(ClonedGateway gw, String action, String id) {
        if ("remove".equals(action)) {
            boolean removed = gw.connectors().remove(id);
            gw.audit().append(AuditEntries.system(Instant.now(), "test:cli", gw.config().workspaceId(),
                "connector.removed", CanonicalJson.MAPPER.createObjectNode().put("id", id)));
            return removed ? 0 : 2;
        }
        String tool = "enable".equals(action) ? ConnectorTools.ENABLE : ConnectorTools.DISABLE;
        CallResult r = gw.calls().call(new ToolCallEnvelope(tool, CanonicalJson.MAPPER.createObjectNode().put("id", id),
            "test:cli", false, null));
        System.out.println(r.status() + " " + (r.error() == null ? "" : r.error()));
        return r.status() == CallResult.Status.SUCCEEDED ? 0 : 3;
    }

    /** Runs {@link #main} in a new JVM on the test class path; returns its exit code and output. */
    static String run(Path workspace, String action, String id) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", TestPackages.classpath(), OtherProcess.class.getName(),
            workspace.toString(), action, id));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(action + " " + id + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(action + " " + id + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
