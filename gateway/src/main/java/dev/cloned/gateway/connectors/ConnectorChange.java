package dev.cloned.gateway.connectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One change {@link ConnectorSupervisor#reconcile()} applied to bring the running tools in line with the registry:
 * what happened to which connector, its tools, and for a rejection the error code and reason.
 */
public record ConnectorChange(String id, Kind kind, String version, List<String> tools, String code, String reason) {
    /** What happened. */
    public enum Kind {
        /** Enabled in the registry and verified: its tools are registered. */
        ENABLED,
        /** Disabled in the registry: process stopped, tools unregistered. */
        DISABLED,
        /** No longer installed: process stopped, tools unregistered. */
        REMOVED,
        /** Reinstalled with another manifest while enabled: the old process stopped, the new tools registered. */
        UPDATED,
        /** Enabled in the registry but its installed copy no longer verifies: it offers no tool. */
        REJECTED;

        /** The lower-case name used in the audit. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ConnectorChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** The details of the {@code connector.reloaded} audit entry. */
    public ObjectNode toJson() {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("id", id).put("change", kind.label());
        if (version != null) {
            n.put("version", version);
        }
        tools.forEach(n.putArray("tools")::add);
        if (code != null) {
            n.put("code", code);
        }
        if (reason != null) {
            n.put("reason", reason);
        }
        return n;
    }
}
