package dev.cloned.runtime.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.Decision;

import java.util.List;
import java.util.Locale;

/**
 * What the gateway answers for a call. A denial or a pending approval is a normal result, never an exception.
 *
 * @param status what happened
 * @param callId the call's id (in the audit)
 * @param decision the policy decision (null only when the envelope was rejected before deciding)
 * @param output the tool's output when it ran (or the dry-run preview)
 * @param error a failure message when the tool failed or the call was refused by the system
 * @param approvalId the approval to ask for (pending) or that was used
 * @param budgets the budgets the call touches, after the call
 * @param auditSeq the sequence number of the call's durable audit entry (its decision; the outcome entry, queued once
 *                 the tool has run, follows it)
 */
public record CallResult(Status status, String callId, Decision decision, JsonNode output, String error,
                         String approvalId, List<BudgetState> budgets, long auditSeq) {
    public CallResult {
        budgets = budgets == null ? List.of() : List.copyOf(budgets);
    }

    /** Outcome of a call. */
    public enum Status {
        /** The tool ran and succeeded. */
        SUCCEEDED,
        /** The tool ran and failed. */
        FAILED,
        /** Policy denied the call (or the system refused it, e.g. the audit could not be written). */
        DENIED,
        /** The call waits for an approval. */
        PENDING_APPROVAL,
        /** Dry run: decided and recorded, nothing dispatched or charged. */
        DRY_RUN;

        /** Wire form, e.g. {@code pending_approval}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The stable code that explains a non-success, e.g. {@code egress_denied}, or {@code ok}. */
    public String code() {
        if (status == Status.SUCCEEDED || status == Status.DRY_RUN) {
            return "ok";
        }
        if (status == Status.FAILED) {
            return "tool_failed";
        }
        return decision == null ? "denied" : decision.primaryCode();
    }
}
