package dev.cloned.runtime.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One append-only approval record: a {@code request}, its {@code decision}, a {@code consumption} (use number
 * {@code useNo}), or a {@code return} of that use (same number) when the call it was used for never ran. A decision is
 * chained to its request by {@code prevHash}.
 *
 * @param body the record's JSON payload (request details, decision and reason, consuming call)
 */
public record ApprovalRecord(long seq, String approvalId, String kind, int useNo, Instant at, String actor,
                             String body, String prevHash, String thisHash) {
    public static final String REQUEST = "request";
    public static final String DECISION = "decision";
    public static final String CONSUMPTION = "consumption";
    public static final String RETURN = "return";

    public ApprovalRecord {
        Objects.requireNonNull(approvalId, "approvalId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(body, "body");
    }
}
