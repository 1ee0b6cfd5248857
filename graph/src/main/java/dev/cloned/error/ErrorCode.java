package dev.cloned.error;

import java.util.Locale;

/**
 * The one error vocabulary of Cloned: stable snake_case codes shared by every surface.
 * Each surface (CLI exit codes, HTTP problem JSON, MCP tool results) maps these in exactly one table.
 */
public enum ErrorCode {
    /** Input that does not parse or does not match its schema. */
    INVALID_INPUT,
    /** A tool-call envelope that fails validation; rejected before it touches state. */
    INVALID_ENVELOPE,
    /** A policy pack or overlay that does not load or compile. */
    INVALID_POLICY,
    /** The policy engine failed while deciding; the call is denied. */
    POLICY_ERROR,
    /** A call denied by policy (tool lists, egress, budget, constitution). */
    DENIED,
    /** A call that waits for a human approval. */
    APPROVAL_REQUIRED,
    /** A budget reservation that would exceed the cap. */
    BUDGET_EXCEEDED,
    /** An outbound host that no allowlist admits. */
    EGRESS_DENIED,
    /** Something named does not exist. */
    NOT_FOUND,
    /** The request conflicts with current state (already decided, already exists). */
    CONFLICT,
    /** The audit log cannot be appended; calls fail closed. */
    AUDIT_UNAVAILABLE,
    /** The audit chain does not verify. */
    AUDIT_BROKEN,
    /** The state store failed. */
    STORE_ERROR,
    /** The workspace is missing or malformed. */
    WORKSPACE_INVALID,
    /** The vault cannot be reached or opened. */
    VAULT_UNAVAILABLE,
    /** A named secret is not in the vault. */
    SECRET_NOT_FOUND,
    /** A connector package whose signature does not verify. */
    SIGNATURE_INVALID,
    /** A connector file whose hash does not match its manifest. */
    HASH_MISMATCH,
    /** A publisher that is unknown, revoked or not allowed by the pack. */
    PUBLISHER_UNTRUSTED,
    /** A connector version that was yanked. */
    VERSION_YANKED,
    /** A connector process failed or is unreachable. */
    CONNECTOR_FAILED,
    /** The capability graph or a blueprint does not load. */
    GRAPH_INVALID,
    /** Missing or bad credentials. */
    UNAUTHORIZED,
    /** Authenticated but not allowed. */
    FORBIDDEN,
    /** Too many attempts; retry later. */
    RATE_LIMITED,
    /** A bug or an unexpected failure. */
    INTERNAL;

    /** The stable wire form, e.g. {@code budget_exceeded}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
