package dev.cloned.runtime.audit;

/** An entry once it is durable: its sequence number, id and chain hash. */
public record AuditEntry(long seq, String id, String thisHash) {
}
