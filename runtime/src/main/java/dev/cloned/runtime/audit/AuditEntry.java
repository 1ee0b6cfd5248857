package dev.cloned.runtime.audit;

/** An entry once it is durable: its sequence number, its chain hash and the exact line written. */
public record AuditEntry(long seq, String id, String thisHash, String line) {
}
