package dev.cloned.rules;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The facts a decision is made on, already enriched from the registry and graph. They hold no input values and no
 * secrets, so they are recorded with each decision and can be replayed through another pack.
 *
 * @param toolId full tool id with version, e.g. {@code cloned.internal.echo@v1}
 * @param registered whether the registry knows the tool
 * @param connectorId the connector that provides the tool ({@code cloned.internal} for built-ins)
 * @param publisherId the connector's publisher, or {@code null} for unknown tools
 * @param capabilities the capabilities the tool exercises
 * @param riskLevel {@code low}, {@code medium} or {@code high}
 * @param costCategory budget category the tool charges, or {@code null} when free
 * @param costEstimate estimated units, or {@code null} when the cost is unknown
 * @param egressHost the outbound host this call would reach, or {@code null}
 * @param actor who asks
 * @param at when the call was made (decides the budget window)
 * @param dryRun whether the call is a dry run
 */
public record CallFacts(String toolId, boolean registered, String connectorId, String publisherId,
                        List<String> capabilities, String riskLevel, String costCategory, Long costEstimate,
                        String egressHost, String actor, Instant at, boolean dryRun) {
    public CallFacts {
        Objects.requireNonNull(toolId, "toolId");
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        riskLevel = riskLevel == null ? "low" : riskLevel;
        actor = actor == null ? "anonymous" : actor;
        Objects.requireNonNull(at, "at");
    }

    /** Whether the tool declares a cost (zero counts as known and free). */
    public boolean costKnown() {
        return costCategory == null || costEstimate != null;
    }

    /** The same facts at another time or dry-run flag (used by replay). */
    public CallFacts withDryRun(boolean dry) {
        return new CallFacts(toolId, registered, connectorId, publisherId, capabilities, riskLevel, costCategory,
            costEstimate, egressHost, actor, at, dry);
    }
}
