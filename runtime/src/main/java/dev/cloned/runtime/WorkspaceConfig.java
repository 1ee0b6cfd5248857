package dev.cloned.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.audit.AuditSync;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code .cloned/config.yaml}: the workspace's identity, tier and active pack, plus sections other parts own
 * (vault, gateway), kept as JSON so this record does not have to know them.
 *
 * @param policyPack a built-in pack name or a pack directory relative to the workspace root
 * @param audit      the audit section, or null when config.yaml has none (the defaults apply)
 */
public record WorkspaceConfig(int schemaVersion, String workspaceId, String tier, String policyPack, Instant createdAt,
                              JsonNode vault, JsonNode gateway, JsonNode audit) {
    public WorkspaceConfig {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(policyPack, "policyPack");
        vault = vault == null ? CanonicalJson.MAPPER.createObjectNode().put("provider", "dev") : vault;
        gateway = gateway == null ? CanonicalJson.MAPPER.createObjectNode().put("host", "127.0.0.1").put("port", 7800)
            : gateway;
    }

    /** The YAML/JSON tree written to config.yaml. */
    public ObjectNode toTree() {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("schema_version", schemaVersion);
        n.put("workspace_id", workspaceId);
        n.put("tier", tier);
        n.put("policy_pack", policyPack);
        n.put("created_at", createdAt.toString());
        n.set("vault", vault);
        n.set("gateway", gateway);
        if (audit != null) {
            n.set("audit", audit);
        }
        return n;
    }

    /** Reads the tree written by {@link #toTree()}. */
    public static WorkspaceConfig fromTree(JsonNode n) {
        return new WorkspaceConfig(n.path("schema_version").asInt(1), n.path("workspace_id").asText(),
            n.path("tier").asText(), n.path("policy_pack").asText(), Instant.parse(n.path("created_at").asText()),
            n.get("vault"), n.get("gateway"), n.get("audit"));
    }

    /** The same config with another vault section. */
    public WorkspaceConfig withVault(JsonNode newVault) {
        return new WorkspaceConfig(schemaVersion, workspaceId, tier, policyPack, createdAt, newVault, gateway, audit);
    }

    /** The same config with another active pack. */
    public WorkspaceConfig withPolicyPack(String pack) {
        return new WorkspaceConfig(schemaVersion, workspaceId, tier, pack, createdAt, vault, gateway, audit);
    }

    /** When a call may dispatch after its decision entry ({@code audit.sync}; forced unless set). */
    public AuditSync auditSync() {
        return audit == null || !audit.hasNonNull("sync") ? AuditSync.FORCED : AuditSync.of(audit.get("sync").asText());
    }
}
