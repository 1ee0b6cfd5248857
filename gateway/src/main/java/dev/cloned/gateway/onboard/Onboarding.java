package dev.cloned.gateway.onboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Inventory;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.blueprint.BlueprintSelection;
import dev.cloned.rules.blueprint.BlueprintSelector;
import dev.cloned.rules.blueprint.RankedBlueprint;
import dev.cloned.rules.blueprint.SelectionRequest;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The onboarding service, independent of any terminal: select a blueprint for a goal (the rules), prepare a Plan of
 * Record with a pre-flight (the policy engine, nothing dispatched), and apply it (write the plan, run the setup steps
 * the policy allows without approval through the governed path, audit each step as {@code onboard.step}).
 */
public final class Onboarding {
    private final ClonedGateway gw;
    private final CapabilityGraph graph;
    private final BlueprintSelector selector;
    private final Clock clock;

    public Onboarding(ClonedGateway gw, CapabilityGraph graph, BlueprintSelector selector, Clock clock) {
        this.gw = gw;
        this.graph = graph;
        this.selector = selector;
        this.clock = clock;
    }

    /** Onboarding with the shipped blueprints, catalog and selection rules. */
    public static Onboarding builtin(ClonedGateway gw, Clock clock) {
        CapabilityGraph graph = CapabilityGraph.loadBuiltin();
        return new Onboarding(gw, graph, BlueprintSelector.builtin(graph), clock);
    }

    /** The capability graph plans are made on. */
    public CapabilityGraph graph() {
        return graph;
    }

    /** What the workspace has installed and trusts. */
    public Inventory inventory() {
        return WorkspaceInventory.of(gw.workspace());
    }

    /** Ranks the blueprints for a goal under CLI-style constraints ({@code key=value} or a bare key). */
    public BlueprintSelection select(String goal, List<String> constraints) {
        return selector.select(request(goal, constraints));
    }

    /**
     * Builds the Plan of Record for {@code blueprintId} (one of the selection's ranked blueprints), with the budget
     * estimate against the active pack and the pre-flight. Changes nothing.
     */
    public PlanOfRecord prepare(String goal, List<String> constraints, BlueprintSelection selection, String blueprintId,
                                String actor) {
        RankedBlueprint chosen = selection.ranked().stream().filter(r -> r.blueprintId().equals(blueprintId)).findFirst()
            .orElseThrow(() -> new ClonedException(ErrorCode.INVALID_INPUT, "blueprint '" + blueprintId
                + "' is not among the ranked choices", "choose one of " + selection.ranked().stream()
                .map(RankedBlueprint::blueprintId).toList()));
        PolicyEngine engine = gw.policy().current();
        String planId = "plan_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Preflight pre = new Preflight(gw.calls(), gw.tools(), graph, actor);
        return new PlanOfRecord(planId, clock.instant(), gw.config().workspaceId(), goal,
            request(goal, constraints).constraints(), selection, chosen, engine.pack().packId(),
            budget(chosen, engine.pack()), pre.setupSteps(chosen.plan(), engine.pack(), planId),
            pre.pipelineCalls(chosen.plan()), pre.connectorTools(chosen.plan()));
    }

    /** The plan as markdown. */
    public String render(PlanOfRecord plan) {
        return new PlanMarkdown(graph).render(plan);
    }

    /** Writes the plan, runs the steps the policy allows without approval, and audits every step. */
    public SetupReport apply(PlanOfRecord plan, String actor) {
        Path file = gw.workspace().root().resolve(plan.relativePath());
        List<SetupReport.StepOutcome> outcomes = new ArrayList<>();
        for (SetupStep step : plan.setup()) {
            SetupReport.StepOutcome o = run(step, plan, file, actor);
            outcomes.add(o);
            audit(plan, step, o, actor);
        }
        return new SetupReport(file, outcomes);
    }

    private SetupReport.StepOutcome run(SetupStep step, PlanOfRecord plan, Path file, String actor) {
        if (step.kind().equals("plans.dir")) {
            String text = render(plan);
            try {
                Files.createDirectories(file.getParent());
                Workspace.writeAtomically(file, text);
            } catch (IOException e) {
                throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "cannot write " + file + ": " + e.getMessage());
            }
            return new SetupReport.StepOutcome(step.id(), "done", "wrote " + plan.relativePath() + " (sha256 "
                + CanonicalJson.sha256(text.getBytes(StandardCharsets.UTF_8)) + ")", null);
        }
        switch (step.status()) {
            case LOCAL:
                return new SetupReport.StepOutcome(step.id(), "checked", step.note(), null);
            case NEEDS_APPROVAL:
                return new SetupReport.StepOutcome(step.id(), "waiting_for_approval", step.note(), null);
            case DENIED:
                return new SetupReport.StepOutcome(step.id(), "denied", PlanMarkdown.decidedBy(step.decision()), null);
            default:
                break;
        }
        // The pre-flight said allow; the governed path decides again with the state of now and dispatches.
        CallResult r = gw.calls().call(new ToolCallEnvelope(step.toolId(), step.input(), actor, false, null));
        if (r.status() == CallResult.Status.SUCCEEDED) {
            return new SetupReport.StepOutcome(step.id(), "done", step.title(), r.callId());
        }
        String why = r.error() != null ? r.error() : r.decision().primaryCode();
        return new SetupReport.StepOutcome(step.id(), r.status() == CallResult.Status.FAILED ? "failed" : "denied",
            r.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + why, r.callId());
    }

    private void audit(PlanOfRecord plan, SetupStep step, SetupReport.StepOutcome o, String actor) {
        ObjectNode d = CanonicalJson.MAPPER.createObjectNode().put("plan_id", plan.id())
            .put("blueprint_id", plan.chosen().blueprintId()).put("step", step.id()).put("kind", step.kind())
            .put("status", step.status().wire()).put("outcome", o.outcome()).put("detail", o.detail());
        if (step.toolId() != null) {
            d.put("tool_id", step.toolId());
        }
        if (o.callId() != null) {
            d.put("call_id", o.callId());
        }
        gw.audit().append(AuditEntries.system(clock.instant(), actor, gw.config().workspaceId(), "onboard.step", d));
    }

    private List<BudgetLine> budget(RankedBlueprint chosen, PolicyPack pack) {
        Instant now = clock.instant();
        List<BudgetLine> lines = new ArrayList<>();
        for (Map.Entry<String, Double> e : chosen.plan().blueprint().budgetEstimate().entrySet()) {
            PolicyPack.BudgetSpec spec = pack.budgets().get(e.getKey());
            Optional<BudgetState> state = gw.budgets().state(pack, e.getKey(), now);
            lines.add(new BudgetLine(e.getKey(), e.getValue(), spec == null ? null : spec.cap(),
                spec == null ? null : spec.period(), state.map(BudgetState::remaining).orElse(null)));
        }
        return lines;
    }

    private SelectionRequest request(String goal, List<String> constraints) {
        try {
            return SelectionRequest.of(goal, constraints, inventory());
        } catch (IllegalArgumentException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, e.getMessage(), "write constraints as key=value or key");
        }
    }
}
