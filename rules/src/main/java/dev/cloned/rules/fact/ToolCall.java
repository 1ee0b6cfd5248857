package dev.cloned.rules.fact;

import dev.cloned.rules.CallFacts;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The call being decided, as rules see it. Immutable; built from {@link CallFacts}. */
public final class ToolCall {
    private final CallFacts facts;
    private final String tier;
    private final Set<String> capabilities;

    public ToolCall(CallFacts facts, String tier) {
        this.facts = facts;
        this.tier = tier;
        List<String> caps = facts.capabilities();
        // sorted, so that rules iterating them fire in the same order whatever order the tool declared them in
        this.capabilities = caps.isEmpty() ? Set.of() : caps.size() == 1 ? Set.of(caps.get(0))
            : Collections.unmodifiableSet(new TreeSet<>(caps));
    }

    public String getToolId() {
        return facts.toolId();
    }

    public boolean isRegistered() {
        return facts.registered();
    }

    public String getConnectorId() {
        return facts.connectorId();
    }

    public String getPublisherId() {
        return facts.publisherId();
    }

    public Set<String> getCapabilities() {
        return capabilities;
    }

    public String getRiskLevel() {
        return facts.riskLevel();
    }

    public String getCostCategory() {
        return facts.costCategory();
    }

    /** Estimated units; 0 when free or unknown (see {@link #isCostKnown()}). */
    public long getCostEstimate() {
        return facts.costEstimate() == null ? 0 : facts.costEstimate();
    }

    public boolean isCostKnown() {
        return facts.costKnown();
    }

    public String getEgressHost() {
        return facts.egressHost();
    }

    public String getActor() {
        return facts.actor();
    }

    public String getTier() {
        return tier;
    }

    public boolean isDryRun() {
        return facts.dryRun();
    }

    /** Built once: each rule that matches this call records it (see the engine's fired-rule listener). */
    private String text;

    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = describe();
            text = t;
        }
        return t;
    }

    private String describe() {
        return "ToolCall(" + facts.toolId() + ", risk=" + facts.riskLevel()
            + (facts.costCategory() == null ? "" : ", cost=" + facts.costCategory() + ":"
            + (facts.costEstimate() == null ? "unknown" : facts.costEstimate()))
            + (facts.egressHost() == null ? "" : ", host=" + facts.egressHost()) + ")";
    }
}
