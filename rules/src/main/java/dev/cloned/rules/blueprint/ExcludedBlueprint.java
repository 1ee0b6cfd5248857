package dev.cloned.rules.blueprint;

import dev.cloned.graph.BlueprintPlan;

import java.util.List;
import java.util.Objects;

/** A blueprint a rule ruled out, with the rules that excluded it and its plan (so a user can see what it needed). */
public record ExcludedBlueprint(String blueprintId, List<ScoreReason> reasons, BlueprintPlan plan) {
    public ExcludedBlueprint {
        Objects.requireNonNull(blueprintId, "blueprintId");
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(plan, "plan");
    }
}
