package dev.cloned.graph;

import java.util.List;
import java.util.Objects;

/**
 * Something an agent can do (e.g. {@code web.search}), how risky and costly it is, who must approve it and
 * which other capabilities it needs first.
 */
public record Capability(String id, String description, RiskLevel riskLevel, CostModel costModel,
                         List<String> requiredApprovals, List<String> prerequisites) {
    public Capability {
        Ids.dotted(id, "capability id");
        Ids.text(description, "description");
        Objects.requireNonNull(riskLevel, "risk_level");
        Objects.requireNonNull(costModel, "cost_model");
        requiredApprovals = Ids.distinct(requiredApprovals, "required_approvals");
        prerequisites = Ids.dottedIds(prerequisites, "prerequisites");
        if (prerequisites.contains(id)) {
            throw new IllegalArgumentException("capability " + id + " lists itself as a prerequisite");
        }
    }
}
