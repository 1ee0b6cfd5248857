package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/**
 * A tool a connector declares: {@code id} with version ({@code demo.echo@v1}), its input JSON Schema, the
 * hosts it may reach, its cost ({@code costCategory == null} means unknown) and risk level.
 */
public record ToolSpec(String id, String description, JsonNode inputSchema, List<String> egressHosts,
                       String costCategory, double costEstimate, String riskLevel) {
    public ToolSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(inputSchema, "inputSchema");
        egressHosts = List.copyOf(egressHosts);
        Objects.requireNonNull(riskLevel, "riskLevel");
    }

    /** The name the MCP server knows the tool by: the id without {@code @version}. */
    public String mcpName() {
        int at = id.lastIndexOf('@');
        return at < 0 ? id : id.substring(0, at);
    }

    /** Whether the cost is unknown (policy then asks for approval). */
    public boolean costUnknown() {
        return costCategory == null;
    }
}
