package dev.cloned.rules.fact;

import dev.cloned.rules.pack.PolicyPack;

import java.util.List;

/** One data-driven approval rule of the pack ({@code approvals.rules[index]}). */
public final class ApprovalRule {
    private final int index;
    private final PolicyPack.ApprovalRuleSpec spec;

    public ApprovalRule(int index, PolicyPack.ApprovalRuleSpec spec) {
        this.index = index;
        this.spec = spec;
    }

    public int getIndex() {
        return index;
    }

    public String getRiskLevel() {
        return spec.riskLevel();
    }

    public String getCostCategory() {
        return spec.costCategory();
    }

    public String getToolId() {
        return spec.toolId();
    }

    public boolean isRequiresApproval() {
        return spec.requiresApproval();
    }

    public List<String> getApprovers() {
        return spec.approvers();
    }

    @Override
    public String toString() {
        String match = spec.riskLevel() != null ? "risk_level=" + spec.riskLevel()
            : spec.costCategory() != null ? "cost_category=" + spec.costCategory() : "tool_id=" + spec.toolId();
        return "approvals.rules[" + index + "](" + match + ")";
    }
}
