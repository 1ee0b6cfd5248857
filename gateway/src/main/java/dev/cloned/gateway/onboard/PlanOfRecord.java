package dev.cloned.gateway.onboard;

import dev.cloned.graph.BlueprintPlan;
import dev.cloned.rules.Effect;
import dev.cloned.rules.blueprint.BlueprintSelection;
import dev.cloned.rules.blueprint.RankedBlueprint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What onboarding decided and why: the goal and constraints, the chosen blueprint with the selection that ranked it,
 * the plan for it, the budget estimate against the active pack, and the pre-flight (setup steps, first pipeline calls,
 * tools of connectors to install). Only {@code id} and {@code createdAt} vary between runs with the same inputs.
 */
public record PlanOfRecord(String id, Instant createdAt, String workspaceId, String goal, Map<String, String> constraints,
                           BlueprintSelection selection, RankedBlueprint chosen, String packId, List<BudgetLine> budget,
                           List<SetupStep> setup, List<CheckedCall> pipeline, List<CheckedCall> connectorTools) {
    public PlanOfRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(goal, "goal");
        constraints = new TreeMap<>(constraints);
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(packId, "packId");
        budget = List.copyOf(budget);
        setup = List.copyOf(setup);
        pipeline = List.copyOf(pipeline);
        connectorTools = List.copyOf(connectorTools);
    }

    /** The chosen blueprint's plan. */
    public BlueprintPlan plan() {
        return chosen.plan();
    }

    /** Where the plan is written, relative to the workspace root. */
    public String relativePath() {
        return ".cloned/plans/" + id + ".md";
    }

    /** The setup steps onboarding will run (allowed without approval). */
    public List<SetupStep> runnableSteps() {
        return setup.stream().filter(s -> s.status() == SetupStep.Status.WILL_RUN).toList();
    }

    /** Every pre-flight check that ended in {@code effect}, setup steps first. */
    public List<String> toolsWith(Effect effect) {
        List<String> out = new ArrayList<>();
        setup.stream().filter(s -> s.decision() != null && s.decision().effect() == effect).forEach(s -> out.add(s.toolId()));
        pipeline.stream().filter(c -> c.decision().effect() == effect).forEach(c -> out.add(c.toolId()));
        connectorTools.stream().filter(c -> c.decision().effect() == effect).forEach(c -> out.add(c.toolId()));
        return out.stream().distinct().toList();
    }
}
