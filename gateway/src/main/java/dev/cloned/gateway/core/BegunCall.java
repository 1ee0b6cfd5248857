package dev.cloned.gateway.core;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.Decision;
import dev.cloned.runtime.audit.AuditEntry;
import dev.cloned.runtime.tools.CallResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A governed call up to its first audit entry, which is queued: {@link #finish} runs the rest once that entry is
 * durable, on whichever thread the caller chose ({@link GovernedCalls#call} its own, {@code callAsync} an executor).
 */
record BegunCall(String callId, String packHash, Step step) {
    /**
     * The first entry of a call, queued, and what follows once it is durable ({@code failed}, when not null, handles
     * an audit that could not take it; otherwise the call is denied by the system).
     */
    record Step(CompletableFuture<AuditEntry> durable, Function<AuditEntry, CallResult> then,
                Function<ClonedException, CallResult> failed) {
    }

    CallResult finish(AuditEntry durable) {
        try {
            return step.then().apply(durable);
        } catch (ClonedException e) {
            return auditDown(e);
        }
    }

    /** Fail closed: a call that cannot be recorded does not happen. */
    CallResult auditDown(ClonedException e) {
        if (e.code() != ErrorCode.AUDIT_UNAVAILABLE) {
            throw e;
        }
        if (step.failed() != null) {
            return step.failed().apply(e);
        }
        Decision d = Decision.denyBySystem("audit_unavailable", e.getMessage(), packHash);
        return new CallResult(CallResult.Status.DENIED, callId, d, null, e.getMessage(), null, List.of(), 0);
    }
}
