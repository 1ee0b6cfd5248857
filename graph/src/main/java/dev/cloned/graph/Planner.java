package dev.cloned.graph;

import dev.cloned.graph.algo.GraphPlanner;

import java.util.List;

/**
 * The entry point for "what does this goal need": match a goal to blueprints, and plan a blueprint
 * (closure, cover, setup order, missing capabilities) against what the workspace has.
 */
public interface Planner {

    /** A planner over the given graph with the default algorithms. */
    static Planner over(CapabilityGraph graph) {
        return new GraphPlanner(graph);
    }

    /** Blueprints whose goal phrases the goal mentions: most phrases first, then by id. */
    List<BlueprintMatch> match(String goal);

    /** Plans one blueprint; throws {@code not_found} for an unknown id. */
    BlueprintPlan plan(String blueprintId, Inventory inventory);

    /** Matches the goal and plans every matching blueprint, best match first. */
    Explanation explain(String goal, Inventory inventory);
}
