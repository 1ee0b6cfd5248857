package dev.cloned.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.cloned.gateway.ClonedGateway;
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

/**
 * {@code cloned demo}: a scripted run through the governed path in a fresh workspace, showing each outcome
 * (allowed, charged, denied by tool lists, by egress, by budget, pending approval then allowed once, dry run) and
 * ending with an audit verification. No network: the one fetch that is allowed goes to a server on 127.0.0.1.
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
        } finally {
            local.stop(0);
        }
        return new Result(root, steps, AuditVerifier.verify(ws.auditLog()));
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
