package dev.cloned.runtime.tools;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs a tool once the gateway has allowed, charged and recorded the call. */
@FunctionalInterface
public interface ToolHandler {
    /** Runs the tool; a thrown exception becomes a recorded {@code failure} outcome. */
    JsonNode invoke(JsonNode input, ToolContext context) throws Exception;
}
