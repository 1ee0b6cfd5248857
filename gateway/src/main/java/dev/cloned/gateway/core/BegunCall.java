package dev.cloned.gateway.core;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.Decision;
import dev.cloned.runtime.audit.AuditEntry;
import dev.cloned.runtime.tools.CallResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
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
    record Step(CompletableFuture<AuditEntry> durable, Then then, Function<ClonedException, CallResult> failed) {
    }

    /** What follows a durable first entry. */
    @FunctionalInterface
    interface Then {
        /**
         * @param resume where a tool started without waiting has its outcome handled, or null when the caller waits
         *               (the tool then runs on this thread and the result is complete when this returns)
         */
        CompletableFuture<CallResult> apply(AuditEntry durable, Resume resume);
    }

    /**
     * Where the outcome of an {@linkplain dev.cloned.runtime.tools.AsyncToolHandler asynchronously started} tool is
     * handled: on {@code cheap} when that cannot block (no budget, approval or synchronous audit write), else on
     * {@code blocking}; {@code blocking} is also the tool's own executor for what it must not do on the caller's thread.
     */
    record Resume(Executor cheap, Executor blocking) {
        static Resume on(Executor both) {
            return new Resume(both, both);
        }
    }

    /** Runs the rest of the call; fails only with what {@link #auditDown} does not handle. */
    CompletableFuture<CallResult> finish(AuditEntry durable, Resume resume) {
        CompletableFuture<CallResult> r;
        try {
            r = step.then().apply(durable, resume);
        } catch (ClonedException e) {
            return CompletableFuture.completedFuture(auditDown(e));
        }
        if (r.isDone() && !r.isCompletedExceptionally()) {
            return r;
        }
        return r.handle((done, failed) -> {
            if (failed == null) {
                return done;
            }
            Throwable c = ClonedException.unwrap(failed);
            if (c instanceof ClonedException ce) {
                return auditDown(ce);
            }
            throw failed instanceof CompletionException ce ? ce : new CompletionException(failed);
        });
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
