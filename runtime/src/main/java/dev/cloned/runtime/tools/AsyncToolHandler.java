package dev.cloned.runtime.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Starts a tool without waiting for it: a tool whose work happens elsewhere (an upstream MCP server's process) sends
 * its request and returns, and another thread (the one that reads the answer) completes the future. The gateway
 * calls it on the thread that completed the call's decision entry (the audit's writer or notifier) or on an event
 * loop, so a governed call to such a tool hops no thread to dispatch; a handler that blocked would hold up the audit.
 */
@FunctionalInterface
public interface AsyncToolHandler {
    /**
     * Starts the tool. Must not block: no lock held by a thread that may block, no I/O that may wait (a write to a
     * pipe with room for it is fine). What would have to block (starting a process again, a write that may not fit)
     * goes to {@code blocking}. A failed future, or a thrown exception, becomes a recorded {@code failure} outcome.
     */
    CompletableFuture<JsonNode> start(JsonNode input, ToolContext context, Executor blocking);
}
