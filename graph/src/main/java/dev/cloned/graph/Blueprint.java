package dev.cloned.graph;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A ready-made setup for a kind of goal: the goal phrases it answers, the capabilities it needs, the connectors
 * it prefers, its policy pack, its first pipeline with that pipeline's expected tool calls, and a monthly budget
 * estimate per cost category.
 */
public record Blueprint(String id, String version, String description, List<String> goals,
                        List<String> requiredCapabilities, List<String> preferredConnectors, String policyPack,
                        String firstRunPipeline, List<String> expectedToolCalls, Map<String, Double> budgetEstimate) {
    public Blueprint {
        Ids.dotted(id, "blueprint id");
        Ids.text(version, "version");
        description = description == null ? "" : description;
        goals = Ids.distinct(goals, "goals");
        if (goals.isEmpty()) {
            throw new IllegalArgumentException("blueprint " + id + " must list at least one goal");
        }
        requiredCapabilities = Ids.dottedIds(requiredCapabilities, "required_capabilities");
        preferredConnectors = Ids.dottedIds(preferredConnectors, "preferred_connectors");
        Ids.dotted(policyPack, "policy_pack");
        Ids.dotted(firstRunPipeline, "first_run_pipeline");
        expectedToolCalls = Ids.distinct(expectedToolCalls, "expected_tool_calls");
        budgetEstimate = sortedCopy(budgetEstimate);
    }

    private static Map<String, Double> sortedCopy(Map<String, Double> budget) {
        Objects.requireNonNull(budget, "budget_estimate");
        TreeMap<String, Double> copy = new TreeMap<>();
        budget.forEach((category, units) -> {
            if (units == null || units < 0) {
                throw new IllegalArgumentException("budget_estimate." + category + " must be >= 0");
            }
            copy.put(category, units);
        });
        return Collections.unmodifiableMap(copy);
    }
}
