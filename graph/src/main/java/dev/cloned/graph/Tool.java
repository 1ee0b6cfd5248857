package dev.cloned.graph;

import java.util.List;
import java.util.Objects;

/**
 * A tool a connector exposes, identified as {@code name@version} (e.g. {@code cloned.mcp.web.search@v1}), with
 * its input schema id, permissions, cost, risk, the hosts it talks to and the capabilities it implements.
 */
public record Tool(String id, String schemaId, List<String> permissionsRequired, CostModel cost,
                   RiskLevel riskLevel, List<String> egressHosts, List<String> capabilities) {
    public Tool {
        Objects.requireNonNull(id, "tool id");
        if (!Ids.TOOL.matcher(id).matches()) {
            throw new IllegalArgumentException("tool id must look like name@v1, got: '" + id + "'");
        }
        Ids.text(schemaId, "schema_id");
        permissionsRequired = Ids.distinct(permissionsRequired, "permissions_required");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(riskLevel, "risk_level");
        egressHosts = Ids.distinct(egressHosts, "egress_hosts");
        capabilities = Ids.dottedIds(capabilities, "capabilities");
        if (capabilities.isEmpty()) {
            throw new IllegalArgumentException("tool " + id + " must implement at least one capability");
        }
    }

    /** The name without the version, e.g. {@code cloned.mcp.web.search}. */
    public String name() {
        return id.substring(0, id.indexOf('@'));
    }

    /** The version, e.g. {@code v1}. */
    public String version() {
        return id.substring(id.indexOf('@') + 1);
    }
}
