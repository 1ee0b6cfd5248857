package dev.cloned.graph;

import java.util.List;
import java.util.Objects;

/**
 * The answer to "what would this goal take": the blueprints whose goal phrases match (best first) and a plan
 * for each. Rule-based selection (constraints, scores) lives in the rules module; this is the graph's view.
 */
public record Explanation(String goal, List<BlueprintMatch> matches, List<BlueprintPlan> plans) {
    public Explanation {
        Objects.requireNonNull(goal, "goal");
        matches = List.copyOf(matches);
        plans = List.copyOf(plans);
    }
}
