package dev.cloned.gateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.EgressMatch;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolContext;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs an allowed tool, turning any exception into a failure outcome with a one-line message. A tool that could not
 * get a secret it needs (the vault is unreachable or locked, or the secret is missing) ran nothing: that outcome
 * carries a refusal code, and the governed path denies the call instead of reporting a failure.
 */
final class Dispatcher {
    /** Failures that mean "a secret this call needs is not available": the call is refused, never run without it. */
    static final Set<ErrorCode> SECRET_UNAVAILABLE = Set.of(ErrorCode.VAULT_UNAVAILABLE, ErrorCode.SECRET_NOT_FOUND);

    private final ActivePolicy policy;

    Dispatcher(ActivePolicy policy) {
        this.policy = policy;
    }

    /**
     * @param refusal {@code null}, or the stable code (e.g. {@code vault_unavailable}) of why the tool refused to run;
     *                {@code error} then says what, where and how to fix it
     */
    record Outcome(boolean ok, JsonNode output, String error, String refusal) {
    }

    Outcome run(RegisteredTool tool, JsonNode input, String callId) {
        try {
            return new Outcome(true, tool.handler().invoke(input, context(tool, callId)), null, null);
        } catch (Exception e) {
            return failed(e);
        }
    }

    /**
     * Starts a tool that has an {@linkplain RegisteredTool#asyncHandler() asynchronous handler} without waiting for
     * it; the outcome completes on whichever thread completes the tool, and never exceptionally.
     */
    CompletableFuture<Outcome> start(RegisteredTool tool, JsonNode input, String callId, Executor blocking) {
        CompletableFuture<JsonNode> started;
        try {
            started = tool.asyncHandler().start(input, context(tool, callId), blocking);
        } catch (Exception e) {
            return CompletableFuture.completedFuture(failed(e));
        }
        return started.handle((out, e) -> e == null ? new Outcome(true, out, null, null)
            : failed(ClonedException.unwrap(e)));
    }

    private ToolContext context(RegisteredTool tool, String callId) {
        return new ToolContext() {
            @Override
            public String callId() {
                return callId;
            }

            @Override
            public EgressMatch checkEgress(String host) {
                return policy.current().egress().resolve(host, tool.descriptor().id(), tool.descriptor().connectorId());
            }
        };
    }

    private static Outcome failed(Throwable e) {
        if (e instanceof ClonedException ce) {
            if (SECRET_UNAVAILABLE.contains(ce.code())) {
                return new Outcome(false, null, ce.getMessage() + (ce.hint() == null ? "" : "; fix: " + ce.hint()),
                    ce.code().code());
            }
            return new Outcome(false, null, ce.getMessage(), null);
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Outcome(false, null, msg, null);
    }
}
