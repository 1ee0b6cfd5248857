package dev.cloned.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The workspace state store: budget usage, the append-only approval records and the audit mirror. Two adapters
 * (SQLite embedded, PostgreSQL shared) pass one contract test suite. Methods block: call them off any event loop.
 */
public interface Store extends AutoCloseable {

    /**
     * Atomically adds {@code amount} to the usage of {@code category} in the window starting at {@code windowStart},
     * only if the result stays within {@code cap}. Exact under any concurrency, across processes too.
     *
     * @return whether the amount was reserved
     */
    boolean tryReserve(String category, Instant windowStart, long amount, long cap);

    /** Gives back units reserved earlier (reconciling an over-estimate or undoing a reservation). */
    void release(String category, Instant windowStart, long amount);

    /** Units used in a window (0 when nothing was reserved). */
    long used(String category, Instant windowStart);

    /**
     * Appends an approval record. A second record with the same (approval id, kind, use number) is refused with
     * {@link dev.cloned.error.ErrorCode#CONFLICT}: that is what makes decisions and single use exact.
     */
    void appendApproval(ApprovalRecord record);

    /** Every record of one approval, in append order. */
    List<ApprovalRecord> approvalRecords(String approvalId);

    /** Every approval record, in append order. */
    List<ApprovalRecord> allApprovalRecords();

    /** The request record whose payload hash matches, newest first. */
    List<ApprovalRecord> requestsForPayload(String payloadHash);

    /** Indexes audit entries (already durable in the audit log) for queries; ignores entries already indexed. */
    void mirrorAudit(List<AuditRow> rows);

    /** The indexed audit entry with the highest sequence number, if any. */
    Optional<AuditRow> lastAudit();

    /** Forgets the whole audit index (it is rebuilt from the log). */
    void clearAudit();

    /** Mirrored audit entries with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
    List<AuditRow> audit(long afterSeq, int limit);

    /** Mirrored decisions between two instants (either may be null), oldest first, at most {@code limit}. */
    List<AuditRow> auditBetween(Instant since, Instant until, String kind, int limit);

    /** A value from the key/value meta table. */
    Optional<String> meta(String key);

    /** Sets a value in the key/value meta table. */
    void putMeta(String key, String value);

    @Override
    void close();
}
