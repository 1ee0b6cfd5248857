package dev.cloned.runtime.audit;

/**
 * The result of verifying an audit log.
 *
 * @param ok whether every line verifies
 * @param entries how many lines verified before the first problem (all of them when ok)
 * @param badLine the 1-based number of the first bad line, or 0 when ok
 * @param problem what is wrong with that line, or null when ok
 * @param lastHash the chain hash of the last good entry
 */
public record AuditVerification(boolean ok, long entries, long badLine, String problem, String lastHash) {
}
