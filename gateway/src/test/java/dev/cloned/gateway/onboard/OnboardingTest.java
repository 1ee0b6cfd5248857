package dev.cloned.gateway.onboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.Charge;
import dev.cloned.rules.Effect;
import dev.cloned.rules.blueprint.BlueprintSelection;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.schema.SchemaValidator;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.audit.AuditVerifier;
import dev.cloned.runtime.connectors.ConnectorRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OnboardingTest {
    static final String RESEARCH = "write a research report on heat pumps";

    @TempDir
    Path root;
    Workspace ws;
    ClonedGateway gw;
    Onboarding onboarding;

    @BeforeEach
    void open() {
        ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        reopen();
    }

    private void reopen() {
        if (gw != null) {
            gw.close();
        }
        gw = ClonedGateway.open(ws, Clock.systemUTC());
        onboarding = Onboarding.builtin(gw, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        gw.close();
    }

    private PlanOfRecord prepare(String goal, String... constraints) {
        BlueprintSelection s = onboarding.select(goal, List.of(constraints));
        return onboarding.prepare(goal, List.of(constraints), s, s.best().orElseThrow().blueprintId(), "test");
    }

    private static CheckedCall call(List<CheckedCall> calls, String tool) {
        return calls.stream().filter(c -> c.toolId().equals(tool)).findFirst().orElseThrow();
    }

    @Test
    void should_decide_catalog_tools_with_catalog_facts_when_their_connector_is_not_installed() {
        PlanOfRecord p = prepare(RESEARCH);

        CheckedCall search = call(p.pipeline(), "cloned.mcp.web.search@v1");
        assertThat(search.registered()).isFalse();
        assertThat(search.connectorId()).isEqualTo("connector.web.search");
        assertThat(search.decision().effect()).isEqualTo(Effect.ALLOW);
        assertThat(search.decision().egress().scope()).isEqualTo("tool");
        CheckedCall crossref = call(p.connectorTools(), "cloned.mcp.citations.lookup@v1");
        assertThat(crossref.decision().effect()).isEqualTo(Effect.DENY);
        assertThat(crossref.decision().firedRuleNames())
            .contains("deny_publisher_not_allowed", "deny_egress_not_allowlisted");
    }

    @Test
    void should_list_missing_capabilities_with_the_connector_or_no_known_provider() {
        PlanOfRecord p = prepare("legal research on gdpr case law");

        assertThat(p.plan().missing()).anySatisfy(m -> {
            assertThat(m.capabilityId()).isEqualTo("citations.lookup");
            assertThat(m.connectorId()).contains("connector.citations.crossref");
        });
        assertThat(p.plan().missing()).anySatisfy(m -> {
            assertThat(m.capabilityId()).isEqualTo("legal.case_law.search");
            assertThat(m.installable()).isFalse();
        });
        assertThat(onboarding.render(p)).contains("- `legal.case_law.search`: no known connector provides");
    }

    @Test
    void should_need_approval_to_switch_packs_when_the_blueprint_ships_another_pack() {
        PlanOfRecord p = prepare("legal research on gdpr case law");

        SetupStep pack = p.setup().stream().filter(s -> s.kind().equals("policy.pack")).findFirst().orElseThrow();
        assertThat(pack.status()).isEqualTo(SetupStep.Status.NEEDS_APPROVAL);
        assertThat(pack.decision().firedRuleNames()).contains("require_approval_by_risk");
        assertThat(pack.note()).contains("cloned.internal.policy.pack.apply@v1").contains("enterprise");
    }

    @Test
    void should_deny_pipeline_calls_when_the_budget_has_no_room() {
        gw.budgets().reserve(gw.policy().current().pack(), List.of(new Charge("api_requests", 10000)),
            java.time.Instant.now());

        PlanOfRecord p = prepare(RESEARCH);

        CheckedCall search = call(p.pipeline(), "cloned.mcp.web.search@v1");
        assertThat(search.decision().effect()).isEqualTo(Effect.DENY);
        assertThat(search.decision().primaryCode()).isEqualTo("budget_exceeded");
        assertThat(p.budget()).anySatisfy(b -> {
            assertThat(b.category()).isEqualTo("api_requests");
            assertThat(b.remaining()).isZero();
        });
    }

    @Test
    void should_skip_setup_steps_the_tool_list_denies_when_the_overlay_restricts_tools() throws Exception {
        Files.writeString(ws.policyDir().resolve("policy.personal.default.yaml"),
            "allowlists:\n  tools: [cloned.internal.echo@v1]\n");
        reopen();
        PlanOfRecord p = prepare(RESEARCH);

        SetupStep register = p.setup().stream().filter(s -> s.kind().equals("connector.register")).findFirst()
            .orElseThrow();
        assertThat(register.status()).isEqualTo(SetupStep.Status.DENIED);
        assertThat(register.decision().firedRuleNames()).contains("deny_tool_not_allowlisted");
        assertThat(call(p.pipeline(), "cloned.mcp.web.search@v1").decision().effect()).isEqualTo(Effect.DENY);

        SetupReport r = onboarding.apply(p, "test");

        assertThat(r.steps()).filteredOn(s -> s.stepId().startsWith("connector.register"))
            .allSatisfy(s -> assertThat(s.outcome()).isEqualTo("denied"));
        assertThat(new ConnectorRegistry(ws.dir()).entries()).isEmpty();
        assertThat(Files.readString(ws.registryFile())).doesNotContain("recommended");
    }

    @Test
    void should_write_the_plan_run_allowed_steps_and_audit_each_when_applied() throws Exception {
        String overlayBefore = listing(ws.policyDir());
        PlanOfRecord p = prepare("legal research on gdpr case law");

        SetupReport r = onboarding.apply(p, "test");

        Path plan = root.resolve(p.relativePath());
        assertThat(plan).exists();
        assertThat(Files.readString(plan)).isEqualTo(onboarding.render(p));
        JsonNode registry = Workspace.readYaml(ws.registryFile());
        assertThat(SchemaValidator.violations("connector-registry.schema.json", registry)).isEmpty();
        assertThat(registry.path("recommended").findValuesAsText("id"))
            .containsExactly("connector.citations.crossref", "connector.local.artifacts", "connector.model.synthesis",
                "connector.vault", "connector.web.search");
        assertThat(new ConnectorRegistry(ws.dir()).entries()).as("nothing is installed").isEmpty();
        assertThat(ws.config().policyPack()).as("a pack switch waits for approval").isEqualTo("personal");
        assertThat(listing(ws.policyDir())).as("egress edits wait for approval").isEqualTo(overlayBefore);
        assertThat(r.steps()).extracting(SetupReport.StepOutcome::outcome)
            .containsExactly("done", "waiting_for_approval", "done", "done", "done", "done", "done",
                "waiting_for_approval");

        List<JsonNode> steps = Files.readAllLines(ws.auditLog()).stream().map(OnboardingTest::json)
            .filter(e -> "onboard.step".equals(e.path("event").asText())).toList();
        assertThat(steps).hasSize(p.setup().size());
        assertThat(steps).allSatisfy(e -> assertThat(e.path("details").path("plan_id").asText()).isEqualTo(p.id()));
        for (String line : Files.readAllLines(ws.auditLog())) {
            assertThat(SchemaValidator.violations("audit-entry.schema.json", json(line))).as(line).isEmpty();
        }
        assertThat(AuditVerifier.verify(ws.auditLog()).ok()).isTrue();
    }

    @Test
    void should_switch_the_pack_only_after_approval_when_the_pack_tool_is_called() throws Exception {
        PlanOfRecord p = prepare("legal research on gdpr case law");
        SetupStep pack = p.setup().stream().filter(s -> s.kind().equals("policy.pack")).findFirst().orElseThrow();
        var env = new dev.cloned.runtime.tools.ToolCallEnvelope(pack.toolId(), pack.input(), "test", false, null);

        var pending = gw.calls().call(env);
        assertThat(pending.approvalId()).isNotNull();
        assertThat(ws.config().policyPack()).isEqualTo("personal");
        gw.approvals().approve(pending.approvalId(), "owner", "legal work needs the enterprise pack");
        var done = gw.calls().call(env);

        assertThat(done.status()).isEqualTo(dev.cloned.runtime.tools.CallResult.Status.SUCCEEDED);
        assertThat(ws.config().policyPack()).isEqualTo("enterprise");
        assertThat(gw.policy().current().pack().packId()).isEqualTo("policy.enterprise.default");
    }

    private static String listing(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().toString();
        }
    }

    private static JsonNode json(String line) {
        try {
            return CanonicalJson.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
