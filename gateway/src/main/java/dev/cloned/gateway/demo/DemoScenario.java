package dev.cloned.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.connectors.ConnectorTools;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.audit.AuditVerification;
import dev.cloned.runtime.audit.AuditVerifier;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code cloned demo}: a scripted run through the governed path in a fresh workspace, showing each outcome
 * (allowed, charged, denied by tool lists, by egress, by budget, pending approval then allowed once, dry run) and
 * then a signed connector (install, verify, enable, governed calls out of process, an egress denial by the proxy,
 * disable), ending with an audit verification. No network: the fetches that are allowed go to a server on 127.0.0.1.
 */
public final class DemoScenario {
    private final Path root;
    private final Clock clock;

    public DemoScenario(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /** One row of the demo table. */
    public record Step(String what, String tool, String status, String detail) {
    }

    /** The rows and the final audit check. */
    public record Result(Path workspace, List<Step> steps, AuditVerification audit) {
    }

    /** Runs the scenario. */
    public Result run() throws IOException {
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, clock).run("personal", false);
        List<Step> steps = new ArrayList<>();
        HttpServer local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        local.createContext("/hello", ex -> {
            byte[] body = "hello from 127.0.0.1".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        local.start();
        try (ClonedGateway gw = ClonedGateway.open(ws, clock)) {
            String localUrl = "http://127.0.0.1:" + local.getAddress().getPort() + "/hello";
            call(gw, steps, "free tool, allowed", "cloned.internal.echo@v1", "{\"text\":\"hi\"}", false);
            call(gw, steps, "metered tool, charged", "cloned.internal.meter@v1", "{\"units\":3}", false);
            call(gw, steps, "fetch a loopback host (global allowlist)", "cloned.internal.fetch@v1",
                "{\"url\":\"" + localUrl + "\"}", false);
            call(gw, steps, "fetch a host no allowlist admits", "cloned.internal.fetch@v1",
                "{\"url\":\"https://example.org/\"}", false);
            call(gw, steps, "over the api_requests budget", "cloned.internal.meter@v1", "{\"units\":20000}", false);
            call(gw, steps, "a tool nobody registered", "acme.exfiltrate@v1", "{}", false);
            call(gw, steps, "unknown cost needs approval", "cloned.internal.compute@v1", "{\"text\":\"x\"}", false);
            String write = "{\"name\":\"demo-note.md\",\"content\":\"written after approval\"}";
            CallResult pending = call(gw, steps, "high risk: waits for approval", "cloned.internal.artifact.write@v1",
                write, false);
            gw.approvals().approve(pending.approvalId(), "demo:alice", "demo approval");
            steps.add(new Step("alice approves " + pending.approvalId(), "", "approved", "bound to this payload, one use"));
            call(gw, steps, "same call again: runs once", "cloned.internal.artifact.write@v1", write, false);
            call(gw, steps, "and a third time: needs a new approval", "cloned.internal.artifact.write@v1", write, false);
            call(gw, steps, "dry run: decided, nothing charged", "cloned.internal.meter@v1", "{\"units\":5}", true);
            connectorSteps(gw, steps, localUrl);
        } finally {
            local.stop(0);
        }
        return new Result(root, steps, AuditVerifier.verify(ws.auditLog()));
    }

    /** Signed connector, out of process, behind the egress proxy (skipped when connectors/demo is not built). */
    private void connectorSteps(ClonedGateway gw, List<Step> steps, String localUrl) throws IOException {
        Optional<Path> build = DemoConnectorSteps.locateBuild();
        if (build.isEmpty()) {
            steps.add(new Step("connector steps", "", "skipped",
                "connectors/demo is not built (./mvnw -q install -DskipTests), or set CLONED_DEMO_CONNECTOR_DIR"));
            return;
        }
        Path pkg = DemoConnectorSteps.prepare(gw, build.get(), root, clock);
        steps.add(new Step("trust + allow a fresh cloned.demo key; sign the package", "", "signed",
            "key generated for this workspace only; overlay allowlists.publishers += cloned.demo"));
        List<String> installed = DemoConnectorSteps.installAndVerify(gw, pkg);
        steps.add(new Step("install the signed demo connector", "", "installed", installed.get(0)));
        steps.add(new Step("verify the installed copy", "", "verified", installed.get(1)));
        call(gw, steps, "enable it (a governed call)", ConnectorTools.ENABLE, DemoConnectorSteps.input("id",
            DemoConnectorSteps.ID), false);
        call(gw, steps, "call a connector tool (out of process)", "demo.echo@v1",
            DemoConnectorSteps.input("text", "hello through a connector"), false);
        fetch(gw, steps, "connector fetches an allowed host via the proxy", localUrl);
        fetch(gw, steps, "connector fetches a host the pack does not allow", "http://blocked.example/");
        call(gw, steps, "disable it: process stopped, tools gone", ConnectorTools.DISABLE, DemoConnectorSteps.input("id",
            DemoConnectorSteps.ID), false);
    }

    private void fetch(ClonedGateway gw, List<Step> steps, String what, String url) throws IOException {
        CallResult r = gw.calls().call(new ToolCallEnvelope("demo.fetch@v1",
            CanonicalJson.MAPPER.readTree(DemoConnectorSteps.input("url", url)), "demo:agent", false, null));
        int status = DemoConnectorSteps.fetchStatus(r.output());
        if (status == 403) {
            steps.add(new Step(what, "demo.fetch@v1", "egress_denied", "the egress proxy answered 403 for "
                + java.net.URI.create(url).getHost() + "; audited as egress.denied"));
        } else if (r.status() == CallResult.Status.SUCCEEDED) {
            steps.add(new Step(what, "demo.fetch@v1", "succeeded", "HTTP " + status + " through the proxy"));
        } else {
            steps.add(new Step(what, "demo.fetch@v1", r.status().wire(), r.error() == null ? r.code() : r.error()));
        }
    }

    private CallResult call(ClonedGateway gw, List<Step> steps, String what, String tool, String input, boolean dry)
        throws IOException {
        JsonNode in = CanonicalJson.MAPPER.readTree(input);
        CallResult r = gw.calls().call(new ToolCallEnvelope(tool, in, "demo:agent", dry, null));
        String detail = switch (r.status()) {
            case SUCCEEDED -> r.decision().charges().isEmpty() ? "ran" : "ran, charged " + r.decision().charges().get(0)
                .amount() + " " + r.decision().charges().get(0).category();
            case PENDING_APPROVAL -> r.approvalId() + " (" + r.decision().firedRuleNames().stream()
                .filter(n -> n.startsWith("require")).findFirst().orElse("") + ")";
            case DRY_RUN -> "would " + r.output().path("would").asText();
            default -> r.code() + (r.decision() == null ? "" : " (" + r.decision().decisiveReasons().get(0).rule() + ")");
        };
        steps.add(new Step(what, tool, r.status().wire(), detail));
        return r;
    }
}
