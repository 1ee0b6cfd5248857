package dev.cloned.rules.blueprint;

import dev.cloned.graph.Blueprint;
import dev.cloned.graph.BlueprintPlan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fact for {@code selection.drl}: one blueprint as the graph sees it in this workspace (coverage, missing and
 * unavailable capabilities, risk, monthly cost per category, publishing, network needs).
 */
public final class BlueprintFact {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

    private final BlueprintPlan plan;

    /** A fact over a plan computed by the graph. */
    public BlueprintFact(BlueprintPlan plan) {
        this.plan = plan;
    }

    private Blueprint blueprint() {
        return plan.blueprint();
    }

    /** The blueprint id, e.g. {@code blueprint.researcher}. */
    public String getId() {
        return blueprint().id();
    }

    /** The goal phrases the blueprint answers. */
    public List<String> getGoals() {
        return blueprint().goals();
    }

    /** The blueprint's policy pack id. */
    public String getPolicyPack() {
        return blueprint().policyPack();
    }

    /** Share of the capability closure installed connectors already provide (0 to 1). */
    public double getCoverage() {
        return plan.coverageRatio();
    }

    /** Number of capabilities no installed connector provides. */
    public int getMissingCount() {
        return plan.missing().size();
    }

    /** Capabilities no known connector provides. */
    public List<String> getUnavailable() {
        return plan.unavailable();
    }

    /** Number of capabilities no known connector provides. */
    public int getUnavailableCount() {
        return plan.unavailable().size();
    }

    /** The highest risk level in the closure: {@code low}, {@code medium} or {@code high}. */
    public String getRisk() {
        return plan.risk().wire();
    }

    /** Approver groups the closure's capabilities require. */
    public List<String> getRequiredApprovals() {
        return plan.requiredApprovals();
    }

    /** True when a capability of the closure publishes content (cost category {@code content_publish}). */
    public boolean isPublishesContent() {
        return plan.publishesContent();
    }

    /** Egress hosts of the plan that are not loopback. */
    public List<String> getRemoteHosts() {
        return plan.egressHosts().stream().filter(h -> !LOOPBACK.contains(h)).toList();
    }

    /** True when the plan talks to any host that is not loopback. */
    public boolean isNeedsNetwork() {
        return !getRemoteHosts().isEmpty();
    }

    /** True when some capability's cost cannot be estimated. */
    public boolean isUnknownCost() {
        return !plan.unknownCostCapabilities().isEmpty();
    }

    /** Capabilities whose cost cannot be estimated. */
    public List<String> getUnknownCostCapabilities() {
        return plan.unknownCostCapabilities();
    }

    /** Estimated monthly units per budget category. */
    public Map<String, Double> getMonthlyCost() {
        return blueprint().budgetEstimate();
    }

    /** Estimated monthly units in one category (0 when the blueprint does not use it). */
    public double monthly(String category) {
        return blueprint().budgetEstimate().getOrDefault(category, 0.0);
    }

    /** Estimated monthly units summed over all categories. */
    public double getTotalMonthlyCost() {
        return blueprint().budgetEstimate().values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
