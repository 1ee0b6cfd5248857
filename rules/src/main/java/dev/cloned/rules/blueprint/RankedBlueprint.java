package dev.cloned.rules.blueprint;

import dev.cloned.graph.BlueprintPlan;

import java.util.List;
import java.util.Objects;

/** A blueprint that passed every constraint, its total score, the reasons that make up the score and its plan. */
public record RankedBlueprint(String blueprintId, int score, List<ScoreReason> reasons, BlueprintPlan plan) {
    public RankedBlueprint {
        Objects.requireNonNull(blueprintId, "blueprintId");
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(plan, "plan");
    }
}
