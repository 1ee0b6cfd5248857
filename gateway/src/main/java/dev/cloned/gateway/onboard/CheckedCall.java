package dev.cloned.gateway.onboard;

import dev.cloned.rules.Decision;

import java.util.Objects;

/**
 * One call the policy engine was asked about during pre-flight, and its answer. Nothing was dispatched.
 *
 * @param toolId the tool, with version
 * @param connectorId the connector that provides it
 * @param host the outbound host the decision was made for, or {@code null}
 * @param registered whether the tool is registered now; otherwise it was decided with the catalog's facts
 * @param decision the engine's decision
 */
public record CheckedCall(String toolId, String connectorId, String host, boolean registered, Decision decision) {
    public CheckedCall {
        Objects.requireNonNull(toolId, "toolId");
        Objects.requireNonNull(decision, "decision");
    }

    /** A label for where the facts came from. */
    public String source() {
        return registered ? "registered" : "catalog";
    }
}
