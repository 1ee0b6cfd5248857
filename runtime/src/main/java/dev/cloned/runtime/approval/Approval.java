package dev.cloned.runtime.approval;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * An approval as derived from its append-only records: the request, the decision if any, and the uses.
 *
 * @param status {@code pending}, {@code approved}, {@code denied} or {@code consumed} (approved and used up)
 * @param envelope the call that asked, kept so an approved call can be replayed
 */
public record Approval(String id, Instant createdAt, String actor, String scope, String toolId, String payloadHash,
                       String risk, JsonNode costEstimate, List<String> approvers, List<String> reasons,
                       String status, String decidedBy, Instant decidedAt, String decisionReason, int uses,
                       int maxUses, JsonNode envelope) {
    public Approval {
        approvers = List.copyOf(approvers);
        reasons = List.copyOf(reasons);
    }

    /** Whether an approved call with this payload may still run. */
    public boolean usable() {
        return "approved".equals(status) && uses < maxUses;
    }
}
