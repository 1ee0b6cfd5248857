package dev.cloned.gateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.audit.AuditVerifier;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GovernedCallsTest {
    @TempDir
    Path root;
    ClonedGateway gw;

    @BeforeEach
    void open() {
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        gw = ClonedGateway.open(ws, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        gw.close();
    }

    /** One call through the path under test; {@link GovernedCallsAsyncTest} runs every case through callAsync. */
    CallResult call(String tool, String input, boolean dry) throws Exception {
        JsonNode in = CanonicalJson.MAPPER.readTree(input);
        return gw.calls().call(new ToolCallEnvelope(tool, in, "test", dry, null));
    }

    private List<String> callLines(String callId) throws java.io.IOException {
        gw.audit().awaitFlushed(); // the outcome entry is queued when the call returns, written by the next commit
        return Files.readAllLines(gw.workspace().auditLog()).stream().filter(l -> l.contains(callId)).toList();
    }

    @Test
    void should_dispatch_and_audit_twice_when_a_free_tool_is_allowed() throws Exception {
        CallResult r = call("cloned.internal.echo@v1", "{\"hello\":\"world\"}", false);

        assertThat(r.status()).isEqualTo(CallResult.Status.SUCCEEDED);
        assertThat(r.output().path("echo").path("hello").asText()).isEqualTo("world");
        List<String> lines = callLines(r.callId());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"kind\":\"decision\"").contains("\"effect\":\"allow\"");
        assertThat(lines.get(1)).contains("\"kind\":\"outcome\"").contains("\"outcome\":\"success\"");
        assertThat(lines.get(0)).contains("\"seq\":" + r.auditSeq() + ","); // the result points at the durable decision
        assertThat(lines.get(0)).doesNotContain("world"); // only the input hash is recorded
        assertThat(AuditVerifier.verify(gw.workspace().auditLog()).ok()).isTrue();
    }

    @Test
    void should_deny_with_the_rule_when_the_host_is_not_allowlisted() throws Exception {
        CallResult r = call("cloned.internal.fetch@v1", "{\"url\":\"https://example.org/x\"}", false);

        assertThat(r.status()).isEqualTo(CallResult.Status.DENIED);
        assertThat(r.code()).isEqualTo("egress_denied");
        assertThat(r.decision().firedRuleNames()).contains("deny_egress_not_allowlisted");
        assertThat(r.decision().egress().allowed()).isFalse();
    }

    @Test
    void should_block_and_charge_nothing_when_the_budget_would_be_exceeded() throws Exception {
        assertThat(call("cloned.internal.meter@v1", "{\"units\":9999}", false).status())
            .isEqualTo(CallResult.Status.SUCCEEDED);

        CallResult r = call("cloned.internal.meter@v1", "{\"units\":2}", false);

        assertThat(r.status()).isEqualTo(CallResult.Status.DENIED);
        assertThat(r.code()).isEqualTo("budget_exceeded");
        assertThat(r.budgets().get(0).used()).isEqualTo(9999);
        assertThat(call("cloned.internal.meter@v1", "{\"units\":1}", false).status())
            .isEqualTo(CallResult.Status.SUCCEEDED);
    }

    @Test
    void should_run_once_per_approval_when_the_call_needs_approval() throws Exception {
        String in = "{\"name\":\"note.md\",\"content\":\"hi\"}";
        CallResult first = call("cloned.internal.artifact.write@v1", in, false);
        assertThat(first.status()).isEqualTo(CallResult.Status.PENDING_APPROVAL);
        assertThat(call("cloned.internal.artifact.write@v1", in, false).approvalId())
            .as("asking again reuses the pending request").isEqualTo(first.approvalId());

        gw.approvals().approve(first.approvalId(), "alice", "looks fine");
        CallResult second = call("cloned.internal.artifact.write@v1", in, false);
        assertThat(second.status()).isEqualTo(CallResult.Status.SUCCEEDED);
        assertThat(root.resolve(".cloned/artifacts/note.md")).hasContent("hi");

        CallResult third = call("cloned.internal.artifact.write@v1", in, false);
        assertThat(third.status()).as("single use").isEqualTo(CallResult.Status.PENDING_APPROVAL);
        assertThat(third.approvalId()).isNotEqualTo(first.approvalId());

        CallResult other = call("cloned.internal.artifact.write@v1", "{\"name\":\"note.md\",\"content\":\"bye\"}", false);
        assertThat(other.status()).as("bound to the payload hash").isEqualTo(CallResult.Status.PENDING_APPROVAL);
    }

    @Test
    void should_dispatch_and_charge_nothing_when_dry_run() throws Exception {
        CallResult r = call("cloned.internal.meter@v1", "{\"units\":5}", true);

        assertThat(r.status()).isEqualTo(CallResult.Status.DRY_RUN);
        assertThat(r.output().path("would").asText()).isEqualTo("dispatch");
        assertThat(gw.budgets().states(gw.policy().current().pack(), java.time.Instant.now()))
            .filteredOn(b -> b.category().equals("api_requests")).first()
            .satisfies(b -> assertThat(b.used()).isZero());
        List<String> lines = callLines(r.callId());
        assertThat(lines).hasSize(1);
        assertThat(Files.readAllLines(gw.workspace().auditLog())).as("init's entry and the dry run's, nothing else")
            .hasSize(2);
        assertThat(lines.get(0)).contains("\"outcome\":\"dry_run\"").contains("\"dry_run\":true");
    }

    @Test
    void should_deny_and_dispatch_nothing_when_the_audit_cannot_be_written() throws Exception {
        gw.close();
        Path log = root.resolve(".cloned/audit.log");
        Files.delete(log);
        Files.createDirectory(log); // an audit log that cannot be opened for writing
        gw = ClonedGateway.open(Workspace.at(root), Clock.systemUTC());

        CallResult r = call("cloned.internal.artifact.write@v1", "{\"name\":\"x\",\"content\":\"y\"}", false);
        CallResult m = call("cloned.internal.meter@v1", "{\"units\":3}", false);

        assertThat(m.status()).isEqualTo(CallResult.Status.DENIED);
        assertThat(m.code()).isEqualTo("audit_unavailable");
        assertThat(gw.budgets().states(gw.policy().current().pack(), java.time.Instant.now()))
            .filteredOn(b -> b.category().equals("api_requests")).first()
            .satisfies(b -> assertThat(b.used()).as("reservation released").isZero());
        assertThat(r.status()).isNotEqualTo(CallResult.Status.SUCCEEDED);
    }
}
