package dev.cloned.runtime.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the registry knows about a tool: who provides it, what it exercises, what it costs and where it talks to.
 * These become the facts the policy decides on.
 *
 * @param id full tool id with version
 * @param costCategory budget category it charges, or null when free
 * @param costEstimate units a given input will cost; null function (or null result) means the cost is unknown
 * @param egressHost the outbound host a given input would reach, or null when the tool makes no outbound call
 * @param inputSchema JSON Schema of the input
 */
public record ToolDescriptor(String id, String description, String connectorId, String publisherId,
                             List<String> capabilities, String riskLevel, String costCategory,
                             Function<JsonNode, Long> costEstimate, Function<JsonNode, String> egressHost,
                             JsonNode inputSchema) {
    public ToolDescriptor {
        Objects.requireNonNull(id, "id");
        if (!id.contains("@")) {
            throw new IllegalArgumentException("tool id must carry a version, as in name@v1: " + id);
        }
        capabilities = List.copyOf(capabilities);
        Objects.requireNonNull(riskLevel, "riskLevel");
    }

    /** The name part of the id ({@code cloned.internal.echo}). */
    public String name() {
        return id.substring(0, id.indexOf('@'));
    }

    /** The version part of the id ({@code v1}). */
    public String version() {
        return id.substring(id.indexOf('@') + 1);
    }
}
